import Synchronization
import CCmarkGFM
import Foundation
import YourICTSupport
import YourICTFormats
import YourICTContent

/// How a body is rendered.
public struct MarkdownOptions: Sendable {
    /// Let raw HTML through (site.yaml `markdown.unsafe_html`). Off: it is omitted.
    public var unsafeHTML: Bool
    /// Ids the page layout uses, which headings must not take.
    public var reservedIDs: Set<String>
    /// Accessible name of the footnote back-links, in the page's language.
    public var footnoteBackLabel: String
    /// Accessible name of the scrollable region wrapping each table.
    public var tableLabel: String

    public init(unsafeHTML: Bool = false, reservedIDs: Set<String> = [], footnoteBackLabel: String = "Back to content", tableLabel: String = "Table") {
        self.unsafeHTML = unsafeHTML
        self.reservedIDs = reservedIDs
        self.footnoteBackLabel = footnoteBackLabel
        self.tableLabel = tableLabel
    }
}

public struct RenderedMarkdown: Sendable {
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var id: String
    }

    public struct Link: Sendable, Equatable {
        public var url: String
        public var location: SourceLocation
        public var isImage: Bool
    }

    public var html: String { storage.text }
    public var headings: [Heading]
    /// Every link and image destination, as written.
    public var links: [Link]
    /// Links whose scheme is unsafe (`javascript:`, `data:` other than images…); their
    /// destination was removed from the output.
    public var removedLinks: [Link]
    /// The words of the body's text (paragraphs, headings, lists, tables, code, image
    /// descriptions; not raw HTML), folded as the search folds them (`SearchText`), each
    /// once, in order, separated by spaces: what the search index holds of the body.
    /// Kept when the HTML is released.
    public var words: String
    /// Where each of `headings` is written (for the outline checks).
    public var headingLocations: [SourceLocation] = []
    /// Images with no description (`![](x.png)`), which screen readers cannot tell.
    public var undescribedImages: [SourceLocation] = []
    private let storage: ReleasableText

    public init(html: String, headings: [Heading], links: [Link], removedLinks: [Link], words: String = "") {
        self.storage = ReleasableText(html)
        self.headings = headings
        self.links = links
        self.removedLinks = removedLinks
        self.words = words
    }

    /// Empties the HTML, here and in every copy. `build` does so once the one page that
    /// shows a service's body is written: on a large site the bodies are hundreds of megabytes.
    package func releaseHTML() { storage.release() }
}

/// cmark-gfm with the GFM extensions and footnotes, plus what cmark-gfm lacks:
/// heading ids, link rewriting, and URL filtering even when raw HTML is allowed.
public enum MarkdownRenderer {
    /// The cmark-gfm library loaded at run time, e.g. `0.29.0.gfm.13`.
    public static var libraryVersion: String { String(cString: cmark_version_string()) }

    /// Registration writes global tables and is not thread-safe: done once, lazily.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Attaching extensions to a parser touches shared state; parsers are made under
    /// this lock, after which parsing and rendering run in parallel.
    private static let parserLock = Mutex(())
    private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Renders `source`. `rewrite` sees each link and image destination with its
    /// location and returns a replacement, or nil to keep it.
    public static func render(
        _ source: MarkdownSource, options: MarkdownOptions,
        rewrite: (String, SourceLocation) -> String? = { _, _ in nil }
    ) -> RenderedMarkdown {
        precondition(registered)
        // No CMARK_OPT_VALIDATE_UTF8: the text is a Swift string, valid UTF-8 already.
        var cmarkOptions = CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
        if options.unsafeHTML { cmarkOptions |= CMARK_OPT_UNSAFE }

        let parser = parserLock.withLock { _ in
            let parser = cmark_parser_new(cmarkOptions)!
            for name in extensionNames {
                if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
            }
            return parser
        }
        defer { cmark_parser_free(parser) }

        // The string is passed as a C string (valid for the call); its length excludes the NUL.
        cmark_parser_feed(parser, source.text, source.text.utf8.count)
        guard let document = cmark_parser_finish(parser) else {
            return RenderedMarkdown(html: "", headings: [], links: [], removedLinks: [])
        }
        defer { cmark_node_free(document) }

        if options.unsafeHTML { neutraliseScriptURLs(in: document) }
        let words = searchWords(of: document)

        var headingNodes: [OpaquePointer] = []
        var linkNodes: [OpaquePointer] = []
        var tableNodes: [OpaquePointer] = []
        var hasFootnotes = false
        let iterator = cmark_iter_new(document)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING: headingNodes.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE: linkNodes.append(node)
            case CMARK_NODE_FOOTNOTE_DEFINITION: hasFootnotes = true
            default:
                if let typeName = cmark_node_get_type_string(node), strcmp(typeName, "table") == 0 { tableNodes.append(node) }
            }
        }
        cmark_iter_free(iterator)

        var links: [RenderedMarkdown.Link] = []
        var removed: [RenderedMarkdown.Link] = []
        var undescribed: [SourceLocation] = []
        var sourceText = source.text
        var columns = ColumnCursor()
        for node in linkNodes {
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let isImage = cmark_node_get_type(node) == CMARK_NODE_IMAGE
            let line = Int(cmark_node_get_start_line(node))
            let byteColumn = Int(cmark_node_get_start_column(node))
            let column = columns.column(in: &sourceText, line: line, byteColumn: byteColumn)
            let location = SourceLocation(path: source.path, line: line + source.firstLine - 1, column: column)
            let link = RenderedMarkdown.Link(url: url, location: location, isImage: isImage)
            links.append(link)
            if isImage, plainText(of: node).trimmingWhitespace.isEmpty { undescribed.append(location) }
            if !URLSafety.isSafe(url, isImage: isImage) {
                removed.append(link)
                cmark_node_set_url(node, "")
            } else if let replacement = rewrite(url, location) {
                cmark_node_set_url(node, replacement)
            }
        }

        // cmark-gfm has no heading ids. Each heading is replaced by a custom block that
        // prints the tag with its id and holds the heading's inline children. The
        // heading nodes own the text those children point into, so they are freed only
        // after rendering.
        var slugger = Slugger(reserved: options.reservedIDs)
        var headings: [RenderedMarkdown.Heading] = []
        var headingLocations: [SourceLocation] = []
        var detached: [OpaquePointer] = []
        for node in headingNodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = plainText(of: node).trimmingWhitespace
            let id = slugger.slug(for: text)
            headings.append(.init(level: level, text: text, id: id))
            let line = Int(cmark_node_get_start_line(node))
            let column = columns.column(in: &sourceText, line: line, byteColumn: Int(cmark_node_get_start_column(node)))
            headingLocations.append(SourceLocation(path: source.path, line: line + source.firstLine - 1, column: column))
            let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(block, "<h\(level) id=\"\(id)\">")
            cmark_node_set_on_exit(block, "</h\(level)>")
            cmark_node_insert_before(node, block)
            while let child = cmark_node_first_child(node) {
                cmark_node_append_child(block, child)
            }
            cmark_node_unlink(node)
            detached.append(node)
        }
        defer { detached.forEach { cmark_node_free($0) } }

        // Tables scroll sideways on narrow screens inside a focusable, named region.
        let label = HTML.escape(options.tableLabel)
        for table in tableNodes {
            let wrapper = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(wrapper, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"\(label)\">")
            cmark_node_set_on_exit(wrapper, "</div>")
            cmark_node_insert_before(table, wrapper)
            cmark_node_append_child(wrapper, table)
        }

        guard let rendered = cmark_render_html(document, cmarkOptions, cmark_parser_get_syntax_extensions(parser)) else {
            var empty = RenderedMarkdown(html: "", headings: headings, links: links, removedLinks: removed, words: words)
            empty.headingLocations = headingLocations
            empty.undescribedImages = undescribed
            return empty
        }
        var html = String(cString: rendered)
        free(rendered)
        // Back-links exist only with footnotes (most bodies have none: no search).
        if hasFootnotes, html.containsBytes("data-footnote-backref") {
            html = html.replacingOccurrences(of: "aria-label=\"Back to content\"", with: "aria-label=\"\(HTML.escape(options.footnoteBackLabel))\"")
        }
        var out = RenderedMarkdown(html: html, headings: headings, links: links, removedLinks: removed, words: words)
        out.headingLocations = headingLocations
        out.undescribedImages = undescribed
        return out
    }

    /// The body's text as a reader sees it, split into folded words, each kept once.
    /// Inline nodes run together ("web**mail**" is one word); blocks, table cells and
    /// line breaks separate words. Raw HTML is markup, not text.
    private static func searchWords(of document: OpaquePointer) -> String {
        var text = ""
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if event == CMARK_EVENT_ENTER, let literal = cmark_node_get_literal(node) {
                    text += String(cString: literal)
                    if type == CMARK_NODE_CODE_BLOCK { text += " " }
                }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                // A block (CMARK_NODE_TYPE_BLOCK in the type's two high bits, extension
                // blocks such as table cells included) begins or ends: a word ends.
                if type.rawValue & 0xC000 == 0x8000 { text += " " }
            }
        }
        return SearchText.distinctWords(in: text)
    }

    /// With raw HTML allowed, markup is trusted but a `javascript:` URL in an attribute
    /// is still disarmed (it becomes `#`): the one trap that copy-pasted HTML carries.
    private static func neutraliseScriptURLs(in document: OpaquePointer) {
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE, let literal = cmark_node_get_literal(node) else { continue }
            let html = String(cString: literal)
            let cleaned = URLSafety.disarmingAttributes(html)
            if cleaned != html { cmark_node_set_literal(node, cleaned) }
        }
    }

    /// The text of a node's inline content, as a reader would see it.
    private static func plainText(of node: OpaquePointer) -> String {
        var out = ""
        var child = cmark_node_first_child(node)
        while let c = child {
            switch cmark_node_get_type(c) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(c) { out += String(cString: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                out += " "
            case CMARK_NODE_HTML_INLINE:
                break
            default:
                out += plainText(of: c)
            }
            child = cmark_node_next(c)
        }
        return out
    }
}

/// Which link destinations may reach a page. Applied whatever the raw-HTML setting,
/// because `unsafe_html` is about trusted markup, not about scripts in links.
public enum URLSafety {
    /// Replaces unsafe URLs in `href`, `src`, `action`, `formaction`, `xlink:href`, `data`,
    /// `poster`, `background` attributes of raw HTML, and in the `values`, `to` and `from`
    /// of SVG animations (which can set an `href`), with `#`.
    public static func disarmingAttributes(_ html: String) -> String {
        guard let regex = try? NSRegularExpression(
            pattern: #"(\b(?:href|src|action|formaction|xlink:href|data|poster|background|values|to|from)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)"#,
            options: [.caseInsensitive]) else { return html }
        let ns = html as NSString
        var out = ""
        var last = 0
        for match in regex.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let valueRange = match.range(at: 2)
            var value = ns.substring(with: valueRange)
            let quote = value.first.flatMap { $0 == "\"" || $0 == "'" ? $0 : nil }
            if quote != nil { value = String(value.dropFirst().dropLast()) }
            let decoded = decodingCharacterReferences(value)
            let attribute = ns.substring(with: match.range(at: 1)).lowercased()
            guard !isSafe(decoded, isImage: attribute.hasPrefix("src") || attribute.hasPrefix("poster")) else { continue }
            out += ns.substring(with: NSRange(location: last, length: valueRange.location - last))
            out += quote.map { "\($0)#\($0)" } ?? "\"#\""
            last = valueRange.location + valueRange.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// An attribute value as the browser reads it: numeric character references (`&#106;`,
    /// `&#x6A`, with or without `;`) and the named ones that can spell a scheme (`&colon;`,
    /// `&Tab;`, `&NewLine;`, `&amp;`) decoded. Without this, `&#106;avascript:` would pass
    /// the scheme check and still run.
    static func decodingCharacterReferences(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "&")) else { return value }
        let named: [String: String] = ["colon": ":", "Tab": "\t", "NewLine": "\n", "amp": "&", "sol": "/", "quest": "?", "num": "#"]
        let scalars = Array(value.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "&", i + 1 < scalars.count else {
                out.append(scalars[i])
                i += 1
                continue
            }
            var j = i + 1
            if scalars[j] == "#" {
                j += 1
                let hex = j < scalars.count && (scalars[j] == "x" || scalars[j] == "X")
                if hex { j += 1 }
                let start = j
                var code: UInt32 = 0
                while j < scalars.count, let digit = Int(String(scalars[j]), radix: hex ? 16 : 10) {
                    code = code > 0x10FFFF ? code : code * (hex ? 16 : 10) + UInt32(digit)
                    j += 1
                }
                guard j > start else {
                    out.append(scalars[i])
                    i += 1
                    continue
                }
                if j < scalars.count, scalars[j] == ";" { j += 1 }
                out.append(Unicode.Scalar(code).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}")
                i = j
            } else {
                while j < scalars.count, scalars[j].properties.isAlphabetic, j - i <= 8 { j += 1 }
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
                if j < scalars.count, scalars[j] == ";", let replacement = named[name] {
                    out.append(contentsOf: replacement.unicodeScalars)
                    i = j + 1
                } else {
                    out.append(scalars[i])
                    i += 1
                }
            }
        }
        return String(out)
    }

    public static func isSafe(_ url: String, isImage: Bool) -> Bool {
        // Most URLs: the scheme (read as below) is plain ASCII and not `data`, decided
        // without building the trimmed, lowercased copy.
        var scheme: [UInt8] = []
        scheme.reserveCapacity(16)
        for byte in url.utf8 where byte > 0x20 {
            switch byte {
            case UInt8(ascii: ":"):
                switch String(decoding: scheme, as: UTF8.self) {
                case "javascript", "vbscript", "file", "livescript", "mocha": return false
                case "data": return isSafeSlowly(url, isImage: isImage)
                default: return true
                }
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                return true
            case 0x80...:
                return isSafeSlowly(url, isImage: isImage)
            default:
                scheme.append(byte | (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? 0x20 : 0))
            }
        }
        return true
    }

    /// Control characters and spaces (up to U+0020) dropped, as browsers read a scheme,
    /// and lowercased.
    static func isSafeSlowly(_ url: String, isImage: Bool) -> Bool {
        let trimmed = url.unicodeScalars.filter { $0.value > 0x20 }.map(String.init).joined().lowercased()
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let scheme = trimmed[..<colon]
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        switch scheme {
        case "javascript", "vbscript", "file", "livescript", "mocha":
            return false
        case "data":
            guard isImage else { return false }
            return ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { trimmed.hasPrefix($0) }
        default:
            return true
        }
    }
}
