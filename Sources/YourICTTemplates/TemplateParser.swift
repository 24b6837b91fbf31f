import YourICTFormats

/// A Mustache template parsed into a tree: the input of `CompiledTemplates`.
///
/// The dialect is the official Mustache spec (comments, delimiters, interpolation,
/// sections, inverted sections, partials, inheritance, dynamic names, lambdas) with
/// swift-mustache's extensions that themes use: transforms (`{{#first(history)}}`,
/// `{{^last()}}`) and the `{{% CONTENT_TYPE: TEXT }}` pragma. Its whitespace rules follow
/// swift-mustache's parser, read byte by byte: a line ends at `\n` or `\r\n` only, and
/// a delimiter is its bytes, whatever follows them. docs/theme.md lists where the two
/// engines differ.
package indirect enum TemplateNode {
    case text([UInt8])
    case variable(TagName, escaped: Bool)
    /// `source`: the body as written and the delimiters in force, for a lambda.
    case section(TagName, inverted: Bool, body: [TemplateNode], source: SectionSource)
    /// `{{$name}}` outside a parent's top level. `indentation` is added to the lines of
    /// what it shows after the first; a standalone tag (`standalone`) instead writes
    /// `overrideIndentation` before an override and indents every line of it, and shows
    /// its default content as written (the spec's "intrinsic indentation").
    case block(name: String, body: [TemplateNode], indentation: String, standalone: Bool, overrideIndentation: String)
    /// `{{$name}}` at a parent's top level: an override.
    case blockDefinition(name: String, body: [TemplateNode])
    /// `{{>name}}`, `{{>*name}}`, `{{<name}}…{{/name}}` (with `overrides`).
    case partial(PartialReference, indentation: String?, overrides: [String: [TemplateNode]]?)
    case contentType(html: Bool)
}

/// A tag's name as written: `a.b`, `.`, `first(list)`, `last()`.
package struct TagName: Equatable {
    package var name: String
    /// Outermost first: `a(b(x))` is `["a", "b"]`.
    package var transforms: [String]
    package var line: Int
    package var column: Int
}

package struct PartialReference {
    package var name: String
    /// `{{>*name}}`: `name` is looked up in the context and names the template.
    package var dynamic: Bool
    package var line: Int
    package var column: Int
}

package struct SectionSource {
    var text: String
    var open: [UInt8]
    var close: [UInt8]
}

/// A syntax error with its place in the template and what to do about it.
package struct TemplateSyntaxError: Error, Equatable {
    package var message: String
    package var hint: String?
    package var line: Int
    package var column: Int
}

package struct TemplateParser {
    static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]
    static let valueTransforms: Set<String> = ["empty", "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count",
                                               "sorted", "equalzero", "plusone", "minusone", "even", "odd"]

    static let defaultOpen = Array("{{".utf8)
    static let defaultClose = Array("}}".utf8)

    private struct State {
        var sectionName: String?
        var sectionTransforms: [String] = []
        var sectionLine = 0
        var sectionColumn = 0
        var newLine = true
        var isPartialDefinition = false
        var isPartialDefinitionTopLevel = false
        var open: [UInt8] = Array("{{".utf8)
        var close: [UInt8] = Array("}}".utf8)
        var partialDefinitionIndent: [UInt8]?

        func withSection(_ name: TagName, newLine: Bool) -> State {
            var s = self
            s.sectionName = name.name
            s.sectionTransforms = name.transforms
            s.sectionLine = name.line
            s.sectionColumn = name.column
            s.isPartialDefinitionTopLevel = false
            if !newLine { s.newLine = false }
            return s
        }
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The template's tree, or its first syntax error.
    package static func parse(_ text: String) -> Result<[TemplateNode], TemplateSyntaxError> {
        parse(text, open: Array("{{".utf8), close: Array("}}".utf8))
    }

    /// With the given delimiters in force at the start (a section lambda's result).
    package static func parse(_ text: String, open: [UInt8], close: [UInt8]) -> Result<[TemplateNode], TemplateSyntaxError> {
        var parser = TemplateParser(Array(text.utf8))
        var state = State()
        state.open = open
        state.close = close
        do {
            return .success(try parser.parse(state).nodes)
        } catch let error as TemplateSyntaxError {
            return .failure(error)
        } catch {
            return .failure(TemplateSyntaxError(message: "\(error)", line: 1, column: 1))
        }
    }

    // MARK: Reading

    private var atEnd: Bool { position >= bytes.count }

    private static func isSpaceOrTab(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    private static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// The length of the line break at `i` (`\n` or `\r\n`), or 0.
    private func lineBreak(at i: Int) -> Int {
        guard i < bytes.count else { return 0 }
        if bytes[i] == 0x0A { return 1 }
        if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { return 2 }
        return 0
    }

    private func matches(_ s: [UInt8], at i: Int) -> Bool {
        guard i + s.count <= bytes.count else { return false }
        for k in 0..<s.count where bytes[i + k] != s[k] { return false }
        return true
    }

    @discardableResult
    private mutating func skip(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
        return bytes[start..<position]
    }

    private func location(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for i in 0..<min(offset, bytes.count) {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private func error(_ message: String, at offset: Int, hint: String? = nil) -> TemplateSyntaxError {
        let (line, column) = location(offset)
        return TemplateSyntaxError(message: message, hint: hint, line: line, column: column)
    }

    /// The line ends after optional spaces and tabs (consumed with the line break), or
    /// the text ends here.
    private mutating func hasLineFinished() -> Bool {
        if atEnd { return true }
        var i = position
        while i < bytes.count, Self.isSpaceOrTab(bytes[i]) { i += 1 }
        let n = lineBreak(at: i)
        guard n > 0 else { return false }
        position = i + n
        return true
    }

    private mutating func isStandalone(_ state: State) -> Bool { state.newLine && hasLineFinished() }

    // MARK: Tags

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D || b == 0x5F || b == 0x3F || b == 0x2A
    }

    private func unfinished(_ state: State, at offset: Int) -> TemplateSyntaxError {
        let close = String(decoding: state.close, as: UTF8.self)
        if offset >= bytes.count || lineBreak(at: offset) > 0 {
            return error("the tag is not closed (missing `\(close)`)", at: offset, hint: "end the tag with `\(close)` on the same line")
        }
        let scalar = String(decoding: bytes[offset...].prefix(4), as: UTF8.self).unicodeScalars.first.map { String($0) } ?? "?"
        return error("`\(scalar)` cannot be part of a tag's name", at: offset,
                     hint: "a name holds letters, digits and `. - _ ? *`, one per tag (`{{service.title}}`), a transform is written `{{count(items)}}`, and a tag ends with `\(close)`")
    }

    /// A tag's name up to and including the closing delimiter, split into its transforms.
    private mutating func parseName(_ state: State, tagStart: Int) throws -> TagName {
        skip(while: Self.isWhitespace)
        let start = position
        let (line, column) = location(tagStart)
        let text = skip { Self.isNameByte($0) || $0 == 0x28 || $0 == 0x29 }
        skip(while: Self.isWhitespace)
        guard matches(state.close, at: position) else { throw unfinished(state, at: position) }
        position += state.close.count
        let name = String(decoding: text, as: UTF8.self)
        guard let open = text.firstIndex(of: 0x28) else {
            guard !name.isEmpty else {
                throw error("the tag has no name", at: start, hint: "write a name between the delimiters, `{{.}}` for the current item")
            }
            return TagName(name: name, transforms: [], line: line, column: column)
        }
        // `a(b(name))`: as many `)` at the end as `(` before the name.
        let badTransform = error("`\(name)` is not a valid transform call", at: start, hint: "write a transform as `{{count(items)}}`, nested as `{{first(reversed(items))}}`")
        var transforms: [String] = []
        var rest = text[...]
        var head = rest[..<open]
        rest = rest[(open + 1)...]
        transforms.append(String(decoding: head, as: UTF8.self))
        while let next = rest.firstIndex(where: { $0 == 0x28 || $0 == 0x29 }), rest[next] == 0x28 {
            head = rest[..<next]
            transforms.append(String(decoding: head, as: UTF8.self))
            rest = rest[(next + 1)...]
        }
        guard let closeAt = rest.firstIndex(of: 0x29) else { throw badTransform }
        let argument = String(decoding: rest[..<closeAt], as: UTF8.self)
        let closing = rest[closeAt...]
        guard closing.count == transforms.count, closing.allSatisfy({ $0 == 0x29 }) else { throw badTransform }
        if argument.isEmpty {
            // `index()`, `plusone(index())`: the innermost reads the position in the list.
            guard Self.sequenceTransforms.contains(transforms[transforms.count - 1]),
                  transforms.dropLast().allSatisfy(Self.valueTransforms.contains) else {
                throw error("`\(name)`: only \(Self.sequenceTransforms.sorted().map { "`\($0)()`" }.joined(separator: ", ")) apply to the position in a list",
                            at: start, hint: "inside a section over a list, `{{^last()}}, {{/last()}}` separates items")
            }
        } else {
            for transform in transforms where !Self.valueTransforms.contains(transform) {
                throw error("unknown transform `\(transform)`", at: start,
                            hint: "the transforms are \(Self.valueTransforms.sorted().map { "`\($0)`" }.joined(separator: ", "))")
            }
        }
        return TagName(name: argument, transforms: transforms, line: line, column: column)
    }

    private static func isPartialNameByte(_ b: UInt8) -> Bool { isNameByte(b) || b == 0x28 || b == 0x29 || b == 0x2F }

    private mutating func parsePartialName(_ state: State) throws -> String {
        skip(while: Self.isWhitespace)
        let start = position
        let text = skip(while: Self.isPartialNameByte)
        skip(while: Self.isWhitespace)
        guard matches(state.close, at: position) else { throw unfinished(state, at: position) }
        position += state.close.count
        guard !text.isEmpty, text != [0x2A] else {
            throw error("the partial has no name", at: start, hint: "name a template by its path under templates/ without .mustache: `{{> partials/status}}`")
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads text up to a line break (not consumed) or an opening delimiter (consumed).
    /// `true` when it stopped after a delimiter.
    private mutating func readText(_ state: State, into text: inout [UInt8]) -> Bool {
        let first = state.open[0]
        while position < bytes.count {
            let b = bytes[position]
            if lineBreak(at: position) > 0 { return false }
            if b == first, matches(state.open, at: position) {
                position += state.open.count
                return true
            }
            text.append(b)
            position += 1
        }
        return false
    }

    // MARK: The template

    private mutating func parse(_ initial: State) throws -> (nodes: [TemplateNode], text: String) {
        var nodes: [TemplateNode] = []
        var state = initial
        var whiteSpaceBefore: [UInt8] = []
        let bodyStart = position
        while position < bytes.count {
            if state.newLine {
                let whiteSpace = Array(skip(while: Self.isSpaceOrTab))
                // A block override's lines lose the indentation of its first line.
                if state.isPartialDefinition, !state.isPartialDefinitionTopLevel {
                    if let indent = state.partialDefinitionIndent {
                        whiteSpaceBefore = Array(whiteSpace.dropFirst(indent.count))
                    } else {
                        state.partialDefinitionIndent = whiteSpace
                    }
                } else {
                    whiteSpaceBefore = whiteSpace
                }
            }
            var text: [UInt8] = []
            let foundTag = readText(state, into: &text)
            let n = lineBreak(at: position)
            if !foundTag, n > 0 {
                nodes.append(.text(whiteSpaceBefore + text + bytes[position..<position + n]))
                position += n
                state.newLine = true
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = []
                state.newLine = false
            }
            guard foundTag else { break }
            let tagStart = position - state.open.count
            guard position < bytes.count else { throw unfinished(state, at: position) }
            var setNewLine = false
            switch bytes[position] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[position] == UInt8(ascii: "^")
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                if isStandalone(state) {
                    setNewLine = true
                } else if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                let open = state.open, close = state.close
                let body = try parse(state.withSection(name, newLine: setNewLine))
                nodes.append(.section(name, inverted: inverted, body: body.nodes, source: SectionSource(text: body.text, open: open, close: close)))

            case UInt8(ascii: "/"):
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                guard let open = state.sectionName else {
                    throw error("`\(name.name)` is closed but was never opened", at: tagStart, hint: "remove this closing tag, or open the section before it")
                }
                guard name.name == open, name.transforms == state.sectionTransforms else {
                    let opened = state.sectionTransforms.reversed().reduce(open) { "\($1)(\($0))" }
                    throw error("this tag closes a section that is not the one open here (`\(opened)`, opened at line \(state.sectionLine))", at: tagStart,
                                hint: "close the sections in the reverse order of their opening: `{{/\(opened)}}` comes first")
                }
                if isStandalone(state) {
                    setNewLine = true
                } else if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                return (nodes, String(decoding: bytes[bodyStart..<tagStart], as: UTF8.self))

            case UInt8(ascii: "!"):
                position += 1
                var end = position
                while end < bytes.count, !matches(state.close, at: end) { end += 1 }
                guard end < bytes.count else {
                    throw error("the comment is never closed", at: tagStart, hint: "end it with `\(String(decoding: state.close, as: UTF8.self))`")
                }
                position = end + state.close.count
                setNewLine = isStandalone(state)

            case UInt8(ascii: "{"):
                if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else {
                    throw error("the triple mustache is not closed (missing `}`)", at: position, hint: "write `{{{name}}}`")
                }
                position += 1
                nodes.append(.variable(name, escaped: false))

            case UInt8(ascii: "&"):
                if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                position += 1
                nodes.append(.variable(try parseName(state, tagStart: tagStart), escaped: false))

            case UInt8(ascii: ">"):
                position += 1
                skip(while: Self.isWhitespace)
                let (line, column) = location(tagStart)
                var dynamic = false
                if position < bytes.count, bytes[position] == UInt8(ascii: "*") {
                    position += 1
                    dynamic = true
                }
                let name = try parsePartialName(state)
                if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                let reference = PartialReference(name: name, dynamic: dynamic, line: line, column: column)
                if isStandalone(state) {
                    setNewLine = true
                    nodes.append(.partial(reference, indentation: String(decoding: whiteSpaceBefore, as: UTF8.self), overrides: nil))
                } else {
                    nodes.append(.partial(reference, indentation: nil, overrides: nil))
                }
                whiteSpaceBefore = []

            case UInt8(ascii: "<"):
                position += 1
                skip(while: Self.isWhitespace)
                let (line, column) = location(tagStart)
                let sectionName = try parsePartialName(state)
                let dynamic = sectionName.hasPrefix("*")
                if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                if isStandalone(state) { setNewLine = true }
                var inner = state.withSection(TagName(name: sectionName, transforms: [], line: line, column: column), newLine: true)
                inner.newLine = true
                inner.isPartialDefinition = true
                inner.isPartialDefinitionTopLevel = true
                let body = try parse(inner)
                var overrides: [String: [TemplateNode]] = [:]
                for node in body.nodes {
                    switch node {
                    case .blockDefinition(let name, let body): overrides[name] = body
                    case .text: break
                    default:
                        throw error("only `{{$block}}` overrides may appear inside `{{<\(sectionName)}}`", at: tagStart,
                                    hint: "move other tags into a block override, or out of the parent tag")
                    }
                }
                let reference = PartialReference(name: dynamic ? String(sectionName.dropFirst()) : sectionName, dynamic: dynamic, line: line, column: column)
                nodes.append(.partial(reference, indentation: String(decoding: whiteSpaceBefore, as: UTF8.self), overrides: overrides))
                whiteSpaceBefore = []

            case UInt8(ascii: "$"):
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                guard name.transforms.isEmpty else {
                    throw error("a transform cannot apply to a block", at: tagStart, hint: "write `{{$name}}`")
                }
                if state.isPartialDefinitionTopLevel {
                    setNewLine = isStandalone(state)
                    let body = try parse(state.withSection(name, newLine: setNewLine))
                    nodes.append(.blockDefinition(name: name.name, body: body.nodes))
                } else {
                    let standalone = isStandalone(state)
                    if !standalone, !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                    setNewLine = standalone
                    let body = try parse(state.withSection(name, newLine: setNewLine))
                    let indentation = String(decoding: whiteSpaceBefore, as: UTF8.self)
                    var intrinsic = indentation
                    if standalone, let first = body.nodes.first {
                        // The default content's own indentation is the block's.
                        if case .text(let t) = first { intrinsic = String(decoding: t.prefix(while: Self.isSpaceOrTab), as: UTF8.self) } else { intrinsic = "" }
                    }
                    nodes.append(.block(name: name.name, body: body.nodes, indentation: indentation, standalone: standalone, overrideIndentation: intrinsic))
                    whiteSpaceBefore = []
                }

            case UInt8(ascii: "="):
                position += 1
                state = try parseSetDelimiter(state, tagStart: tagStart)
                setNewLine = isStandalone(state)

            case UInt8(ascii: "%"):
                position += 1
                if let node = try parsePragma(state, tagStart: tagStart) { nodes.append(node) }
                setNewLine = isStandalone(state)

            default:
                if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                nodes.append(.variable(try parseName(state, tagStart: tagStart), escaped: true))
            }
            state.newLine = setNewLine
        }
        if let open = state.sectionName {
            let what = state.isPartialDefinition && state.isPartialDefinitionTopLevel ? "parent `\(open)`" : "section `\(open)`"
            let written = state.sectionTransforms.reversed().reduce(open) { "\($1)(\($0))" }
            throw TemplateSyntaxError(message: "the \(what) is never closed", hint: "add `{{/\(written)}}` where it ends",
                                      line: state.sectionLine, column: state.sectionColumn)
        }
        return (nodes, String(decoding: bytes[bodyStart..<position], as: UTF8.self))
    }

    private mutating func parseSetDelimiter(_ state: State, tagStart: Int) throws -> State {
        let invalid = error("invalid set-delimiter tag", at: tagStart,
                            hint: "write `{{=<% %>=}}`: two delimiters separated by a space, without `=` or spaces in them")
        skip(while: Self.isWhitespace)
        let open = Array(skip { !Self.isWhitespace($0) })
        guard position < bytes.count else { throw invalid }
        skip(while: Self.isWhitespace)
        let close = Array(skip { !Self.isWhitespace($0) && $0 != UInt8(ascii: "=") })
        guard position < bytes.count else { throw invalid }
        skip(while: Self.isWhitespace)
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { throw invalid }
        position += 1
        guard matches(state.close, at: position) else { throw invalid }
        position += state.close.count
        guard !open.isEmpty, !close.isEmpty else { throw invalid }
        var s = state
        s.open = open
        s.close = close
        s.isPartialDefinitionTopLevel = false
        return s
    }

    private mutating func parsePragma(_ state: State, tagStart: Int) throws -> TemplateNode? {
        let invalid = error("invalid pragma", at: tagStart, hint: "the one pragma is `{{% CONTENT_TYPE: TEXT }}` (or `HTML`)")
        skip(while: Self.isWhitespace)
        let variable = String(decoding: skip(while: Self.isNameByte), as: UTF8.self)
        skip(while: Self.isWhitespace)
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw invalid }
        position += 1
        skip(while: Self.isWhitespace)
        let value = String(decoding: skip(while: Self.isNameByte), as: UTF8.self)
        skip(while: Self.isWhitespace)
        guard matches(state.close, at: position), !variable.isEmpty, !value.isEmpty else { throw invalid }
        position += state.close.count
        guard variable == "CONTENT_TYPE", value == "HTML" || value == "TEXT" else {
            throw error("unknown pragma `\(variable): \(value)`", at: tagStart, hint: "the one pragma is `{{% CONTENT_TYPE: TEXT }}` (or `HTML`)")
        }
        return .contentType(html: value == "HTML")
    }
}
