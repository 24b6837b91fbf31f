import Foundation
import YourICTSupport
import YourICTContent

/// Resolves links written in Markdown to the URLs of the built site, and records what
/// must be verified once every document is rendered (targets and `#anchors`).
package struct LinkResolver: Sendable {
    /// A link that points into the site and must be checked after rendering.
    package struct PendingCheck: Sendable {
        var written: String
        package var location: SourceLocation
        var target: DocumentKey?
        /// Language of the target page (the link's explicit `.nl.md`, else the page's).
        var targetLang: String
        /// When the link had no language suffix and the document is shown in another
        /// language than it is written in: its own language, where its anchors were written.
        var sourceLang: String?
        var fragment: String?
        /// A root-relative path that must be one of the site's outputs.
        var sitePath: String?
    }

    let content: ContentSet
    let urls: URLBuilder

    package init(content: ContentSet, urls: URLBuilder) {
        self.content = content
        self.urls = urls
    }

    /// `url` as written in `sourcePath` (written in `sourceLang`), shown on a page in `lang`.
    package func resolve(_ url: String, sourcePath: String, sourceLang: String, lang: String, location: SourceLocation)
        -> (rewritten: String?, check: PendingCheck?)
    {
        if url.isEmpty { return (nil, nil) }
        let (pathAndQuery, fragment) = split(url, at: UInt8(ascii: "#"))
        let (path, query) = split(pathAndQuery, at: UInt8(ascii: "?"))
        if path.utf8.starts(with: "//".utf8) || hasScheme(path) { return (nil, nil) }

        if path.isEmpty {
            // `#anchor` in the same document.
            let key = documentKey(forContentPath: sourcePath)
            let check = PendingCheck(written: url, location: location, target: key?.0, targetLang: lang, sourceLang: sourceLang == lang ? nil : sourceLang,
                                     fragment: fragment, sitePath: nil)
            return (nil, fragment == nil ? nil : check)
        }
        if path.hasPrefix("/") {
            let sitePath = String(path.dropFirst())
            let check = PendingCheck(written: url, location: location, target: nil, targetLang: lang, sourceLang: nil, fragment: fragment, sitePath: sitePath)
            let rewritten = urls.basePath == "/" ? nil : urls.basePath + sitePath + (query.map { "?\($0)" } ?? "") + (fragment.map { "#\($0)" } ?? "")
            return (rewritten, check)
        }
        // `.md` in any case.
        let suffix = Array(path.utf8.suffix(3))
        guard suffix.count == 3, suffix[0] == UInt8(ascii: "."), suffix[1] | 0x20 == UInt8(ascii: "m"), suffix[2] | 0x20 == UInt8(ascii: "d") else {
            return (nil, nil)
        }

        let resolvedPath = normalize(directory(of: sourcePath) + "/" + path.percentDecoded)
        guard let resolvedPath, let (key, explicitLang) = documentKey(forContentPath: resolvedPath) else {
            let check = PendingCheck(written: url, location: location, target: nil, targetLang: lang, sourceLang: nil, fragment: nil, sitePath: nil)
            return (nil, check)
        }
        let targetLang = explicitLang ?? lang
        let check = PendingCheck(written: url, location: location, target: key, targetLang: targetLang,
                                 sourceLang: explicitLang == nil && sourceLang != lang ? sourceLang : nil, fragment: fragment, sitePath: nil)
        let rewritten = urls.url(key.route, lang: targetLang) + (query.map { "?\($0)" } ?? "") + (fragment.map { "#\($0)" } ?? "")
        return (rewritten, check)
    }

    /// `content/services/x.nl.md` → (services/x, nl).
    func documentKey(forContentPath path: String) -> (DocumentKey, String?)? {
        // On UTF-8 bytes: splitting a String splits Characters (grapheme breaking), and
        // this runs for every link of every page.
        let bytes = path.utf8
        let parts = bytes.split(separator: UInt8(ascii: "/"))
        guard parts.count == 3, parts[0].elementsEqual("content".utf8),
              let kind = DocumentKey.Kind(rawValue: String(decoding: parts[1], as: UTF8.self)) else { return nil }
        let file = parts[2]
        guard file.count >= 3, file.suffix(3).elementsEqual(".md".utf8) else { return nil }
        let name = file.dropLast(3)
        guard let dot = name.firstIndex(of: UInt8(ascii: ".")) else { return (DocumentKey(kind, String(decoding: name, as: UTF8.self)), nil) }
        let lang = name[bytes.index(after: dot)...]
        let langText = String(decoding: lang, as: UTF8.self)
        guard !lang.contains(UInt8(ascii: ".")), content.site.languages.contains(langText) else { return nil }
        return (DocumentKey(kind, String(decoding: name[..<dot], as: UTF8.self)), langText)
    }

    private func hasScheme(_ s: String) -> Bool {
        guard let colon = s.utf8.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = s[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// At the first `separator` (an ASCII byte, so a boundary between characters).
    private func split(_ s: String, at separator: UInt8) -> (String, String?) {
        guard let i = s.utf8.firstIndex(of: separator) else { return (s, nil) }
        return (String(s[..<i]), String(s[s.utf8.index(after: i)...]))
    }

    private func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// Resolves `.` and `..`; nil when the path climbs above the source folder.
    private func normalize(_ path: String) -> String? {
        var out: [Substring.UTF8View] = []
        for part in path.utf8.split(separator: UInt8(ascii: "/")) {
            if part.elementsEqual(".".utf8) { continue }
            if part.elementsEqual("..".utf8) {
                guard !out.isEmpty else { return nil }
                out.removeLast()
            } else {
                out.append(part)
            }
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(path.utf8.count)
        for (i, part) in out.enumerated() {
            if i > 0 { joined.append(UInt8(ascii: "/")) }
            joined.append(contentsOf: part)
        }
        return String(decoding: joined, as: UTF8.self)
    }
}

extension String {
    /// `removingPercentEncoding`, with the text itself when it has no `%` (most links),
    /// or when its escapes are invalid.
    var percentDecoded: String {
        utf8.contains(37) ? removingPercentEncoding ?? self : self
    }
}
