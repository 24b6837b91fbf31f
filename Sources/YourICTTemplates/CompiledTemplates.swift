import Foundation
import Synchronization
import YourICTSupport
import YourICTFormats

/// The theme's templates, parsed by `TemplateParser` and compiled for fast rendering.
///
/// All templates are compiled into one flat program: a list of plain instructions
/// (`Op`) whose sections, blocks and partial overrides are ranges of the same list,
/// with the static text in one byte buffer. Walking a template then copies nothing but
/// the values it shows, and pages are rendered straight into UTF-8 bytes, every value
/// escaped byte by byte (`HTML.escape`). This is the only renderer: every template a
/// theme may hold compiles (a syntax error is a diagnostic instead), and nothing falls
/// back to another engine. The official Mustache spec and differential fuzzing against
/// swift-mustache test it (docs/theme.md).
package struct CompiledTemplates: Sendable {
    /// One instruction. `next` is the index of the instruction after it: a section, a
    /// block or a partial with overrides is followed by its bodies, which the walk skips.
    struct Op: Sendable {
        enum Kind: UInt8, Sendable {
            /// `a`: offset in `text`, `b`: length.
            case text
            /// `a`: index in `names`; `flag`: escaped.
            case variable
            /// `a`: index in `names`; the body is `index + 1 ..< next`; `flag`: inverted;
            /// `b`: the section's id (for the fragment memo); `c`: its source in `sources`.
            case section
            /// `a`: its name in `strings`; the body (default content) is `index + 1 ..< next`;
            /// `b`: indentation of the default content in `strings`, or -1; `c`: that of
            /// an override, or -1; `flag`: standalone (an override starts with `c`).
            case block
            /// `a`: the template's name in `strings`, or (`flag`, a dynamic name) the
            /// name that holds it in `names`; `b`: indentation in `strings` or -1;
            /// `c`: overrides in `overrides` or -1 (their bodies lie before `next`).
            case partial
            /// `flag`: HTML (else text).
            case contentType
        }

        var kind: Kind
        var flag = false
        var a: Int32 = 0
        var b: Int32 = -1
        var c: Int32 = -1
        var next: Int32 = 0
    }

    /// A tag name, split and classified once. A class: the renderer reads one per tag,
    /// and a reference is one retain where a struct of arrays is several.
    final class Name: Sendable {
        enum Scope: Sendable {
            /// `.`: the current object.
            case current
            /// `.a.b`: from the current object only.
            case anchored
            /// `a.b`: the first part looked up through the context stack.
            case stack
            /// `first()`, `last()`…: the position in the enclosing list.
            case sequence
        }

        let scope: Scope
        let parts: [String]
        /// Outermost first, applied innermost first.
        let transforms: [String]
        /// The first part ("" for `.` and positions): what the stack is searched for.
        let first: String
        /// `ViewContext.hash` of each of `parts`, and of `first`.
        let partHashes: [Int]
        let firstHash: Int

        init(_ tag: TagName) {
            transforms = tag.transforms
            if tag.name.isEmpty {
                scope = .sequence
                parts = []
            } else {
                let split = tag.name.split(separator: ".").map(String.init)
                scope = tag.name == "." || split.isEmpty && tag.name.first == "." ? .current : tag.name.first == "." ? .anchored : .stack
                parts = tag.name == "." ? [] : split
            }
            first = parts.first ?? ""
            partHashes = parts.map(ViewContext.hash)
            firstHash = ViewContext.hash(first)
        }
    }

    private let ops: [Op]
    private let text: [UInt8]
    private let names: [Name]
    private let strings: [String]
    private let sources: [SectionSource]
    /// A partial's block overrides: block name → body.
    private let overrides: [[String: Range<Int>]]
    private let templates: [String: Range<Int>]

    /// Deeper nesting of partials, blocks and lambdas than this (a template that
    /// includes itself through a dynamic name, or a lambda that returns itself) stops
    /// the render: the page is reported as not rendered instead of exhausting the stack.
    package static let maximumDepth = 200

    /// A page larger than this, or a render of more instructions than `maximumSteps`,
    /// stops: a section that repeats inside itself (`{{#services}}` within `{{#services}}`,
    /// three deep) would otherwise write terabytes, or loop for days writing nothing.
    /// The largest page of a 50,000-service site is far below either.
    package static let maximumOutput = 256 << 20
    package static let maximumSteps = 200_000_000
    /// The limits of this program's renders: the defaults above, lower in tests.
    package var limits = (output: maximumOutput, steps: maximumSteps)

    /// Why a render stopped.
    package enum RenderFailure: Error, Equatable {
        /// Partials, blocks or lambdas nested deeper than `maximumDepth`.
        case tooDeep
        /// More than `maximumOutput` bytes or `maximumSteps` instructions.
        case tooLarge
    }

    package init(templates parsed: [String: [TemplateNode]]) {
        var program = Program()
        var templates: [String: Range<Int>] = [:]
        for (name, nodes) in parsed.sorted(by: { $0.key < $1.key }) {
            templates[name] = program.compile(nodes)
        }
        self.init(program, templates)
    }

    private init(_ program: Program, _ templates: [String: Range<Int>]) {
        ops = program.ops
        text = program.text
        names = program.names
        strings = program.strings
        sources = program.sources
        overrides = program.overrides
        self.templates = templates
    }

    /// Parses and compiles templates given as text (tests, the spec); the errors by template.
    package static func compile(_ sources: [String: String]) -> Result<CompiledTemplates, TemplateErrors> {
        var parsed: [String: [TemplateNode]] = [:]
        var errors: [String: TemplateSyntaxError] = [:]
        for (name, source) in sources {
            switch TemplateParser.parse(source) {
            case .success(let nodes): parsed[name] = nodes
            case .failure(let error): errors[name] = error
            }
        }
        return errors.isEmpty ? .success(CompiledTemplates(templates: parsed)) : .failure(TemplateErrors(byTemplate: errors))
    }

    package struct TemplateErrors: Error {
        var byTemplate: [String: TemplateSyntaxError]
    }

    /// This program with `nodes` compiled after it (a lambda's result): their range in it.
    private func appending(_ nodes: [TemplateNode]) -> (CompiledTemplates, Range<Int>) {
        var program = Program(ops: ops, text: text, names: names, strings: strings, sources: sources, overrides: overrides)
        let range = program.compile(nodes)
        return (CompiledTemplates(program, templates), range)
    }

    package func render(_ object: Any, template name: String, memo: FragmentMemo? = nil) -> String? {
        renderBytes(object, template: name, memo: memo).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The page as UTF-8 bytes, as it is written; nil when there is no such template or
    /// the render nests deeper than `maximumDepth`.
    package func renderBytes(_ object: Any, template name: String, memo: FragmentMemo? = nil) -> [UInt8]? {
        guard let range = templates[name] else { return nil }
        return try? renderResult(object, range: range, memo: memo).get()
    }

    /// The page as UTF-8 bytes, or why it could not be rendered; nil when there is no
    /// such template.
    package func renderResult(_ object: Any, template name: String, memo: FragmentMemo? = nil) -> Result<[UInt8], RenderFailure>? {
        guard let range = templates[name] else { return nil }
        return renderResult(object, range: range, memo: memo)
    }

    private func renderResult(_ object: Any, range: Range<Int>, memo: FragmentMemo?) -> Result<[UInt8], RenderFailure> {
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        var stack = Stack(root: TemplateValue(object) ?? .other(object), limits: limits)
        Run(program: self, memo: memo).render(range, Context(), &stack, into: &out)
        if stack.failed { return .failure(stack.tooLarge ? .tooLarge : .tooDeep) }
        return .success(out)
    }

    // MARK: Compiling

    /// Section ids, unique within the process (themes are compiled once per build, and
    /// `serve`'s fragment memo outlives a theme).
    private static let sectionCounter = Atomic<Int>(0)

    private struct Program {
        var ops: [Op] = []
        var text: [UInt8] = []
        var names: [Name] = []
        package var strings: [String] = []
        var sources: [SectionSource] = []
        var overrides: [[String: Range<Int>]] = []

        mutating func string(_ s: String?) -> Int32 {
            guard let s else { return -1 }
            strings.append(s)
            return Int32(strings.count - 1)
        }

        package mutating func name(_ tag: TagName) -> Int32 {
            names.append(Name(tag))
            return Int32(names.count - 1)
        }

        /// Appends the instructions of `nodes`; their range.
        package mutating func compile(_ nodes: [TemplateNode]) -> Range<Int> {
            let start = ops.count
            for node in nodes { compile(node) }
            return start..<ops.count
        }

        private mutating func append(_ op: Op) -> Int {
            var op = op
            op.next = Int32(ops.count + 1)
            ops.append(op)
            return ops.count - 1
        }

        private mutating func compile(_ node: TemplateNode) {
            switch node {
            case .text(let bytes):
                // One instruction per text node: indentation is added between two of them.
                _ = append(Op(kind: .text, a: Int32(text.count), b: Int32(bytes.count)))
                text.append(contentsOf: bytes)
            case .variable(let tag, let escaped):
                _ = append(Op(kind: .variable, flag: escaped, a: name(tag)))
            case .section(let tag, let inverted, let body, let source):
                sources.append(source)
                let at = append(Op(kind: .section, flag: inverted, a: name(tag), b: Int32(CompiledTemplates.sectionCounter.wrappingAdd(1, ordering: .relaxed).newValue),
                                   c: Int32(sources.count - 1)))
                _ = compile(body)
                ops[at].next = Int32(ops.count)
            case .block(let blockName, let body, let indentation, let standalone, let overrideIndentation):
                let at = append(Op(kind: .block, flag: standalone, a: string(blockName), b: string(standalone ? nil : indentation),
                                   c: string(standalone ? overrideIndentation : indentation)))
                _ = compile(body)
                ops[at].next = Int32(ops.count)
            case .blockDefinition:
                // Only at a parent's top level, where the parser keeps them as overrides.
                break
            case .partial(let reference, let indentation, let map):
                let a = reference.dynamic ? name(TagName(name: reference.name, transforms: [], line: reference.line, column: reference.column))
                                          : string(reference.name)
                let at = append(Op(kind: .partial, flag: reference.dynamic, a: a, b: string(indentation)))
                if let map {
                    var compiled: [String: Range<Int>] = [:]
                    for (key, body) in map.sorted(by: { $0.key < $1.key }) { compiled[key] = compile(body) }
                    overrides.append(compiled)
                    ops[at].c = Int32(overrides.count - 1)
                }
                ops[at].next = Int32(ops.count)
            case .contentType(let html):
                _ = append(Op(kind: .contentType, flag: html))
            }
        }
    }

    // MARK: Rendering

    private struct Sequence {
        var first: Bool
        var last: Bool
        var index: Int
    }

    /// The context stack of one render, pushed and popped around sections: one array
    /// shared by every frame rather than a copy per section.
    private struct Stack {
        var items: [TemplateValue]
        var depth = 0
        /// Set when the render nested deeper than `maximumDepth`, or grew too large.
        var failed = false
        var tooLarge = false
        /// Instructions run so far (`maximumSteps`).
        var steps = 0
        /// The program's `limits`.
        let limits: (output: Int, steps: Int)

        /// Counts one instruction; whether the render must stop, having run too many or
        /// written `written` bytes, more than a page may hold (`maximumOutput`).
        @inline(__always)
        mutating func stepTooFar(_ written: Int) -> Bool {
            steps &+= 1
            guard steps > limits.steps || written > limits.output else { return false }
            failed = true
            tooLarge = true
            return true
        }

        init(root: TemplateValue, limits: (output: Int, steps: Int)) {
            self.limits = limits
            items = [root]
            items.reserveCapacity(16)
        }
    }

    /// What changes from one part of a render to another (what does not is in `Run`).
    private struct Context {
        var sequence: Sequence? = nil
        var indentation: String? = nil
        var inherited: [String: Range<Int>]? = nil
        var html = true
        /// While a memoizable list element renders: what its output read from outside it.
        var tracker: FragmentMemo.Tracker? = nil
        /// The stack index of that element: frames below it are outside.
        var boundary = 0
    }

    /// One render of the program.
    private struct Run {
        let program: CompiledTemplates
        let memo: FragmentMemo?

        /// One template render, as swift-mustache's `render(context:)`: indentation is
        /// added before an instruction's output when this render's output so far ends a line.
        package func render(_ range: Range<Int>, _ context: Context, _ stack: inout Stack, into out: inout [UInt8]) {
            guard !stack.failed, stack.depth < CompiledTemplates.maximumDepth else {
                stack.failed = true
                return
            }
            stack.depth += 1
            defer { stack.depth -= 1 }
            var context = context
            var i = range.lowerBound
            if let indentation = context.indentation, !indentation.isEmpty {
                var local: [UInt8] = []
                var piece: [UInt8] = []
                while i < range.upperBound {
                    piece.removeAll(keepingCapacity: true)
                    i = renderOp(i, &context, &stack, into: &piece)
                    if !piece.isEmpty, local.last == 10 { local.append(contentsOf: indentation.utf8) }
                    local.append(contentsOf: piece)
                    if stack.stepTooFar(local.count) { return }
                }
                out.append(contentsOf: local)
            } else {
                while i < range.upperBound {
                    i = renderOp(i, &context, &stack, into: &out)
                    if stack.stepTooFar(out.count) { return }
                }
            }
        }

        private func string(_ index: Int32) -> String? { index >= 0 ? program.strings[Int(index)] : nil }

        /// Renders the instruction at `index`; the index of the next.
        @inline(__always)
        private func renderOp(_ index: Int, _ context: inout Context, _ stack: inout Stack, into out: inout [UInt8]) -> Int {
            let op = program.ops[index]
            switch op.kind {
            case .text:
                let start = Int(op.a)
                out.append(contentsOf: program.text[start..<start + Int(op.b)])
            case .variable:
                if let value = resolve(Int(op.a), context, stack) {
                    write(value, escaped: op.flag && context.html, context, &stack, into: &out)
                }
            case .section:
                let value = resolve(Int(op.a), context, stack)
                let body = index + 1 ..< Int(op.next)
                if op.flag {
                    renderInverted(value, body, context, &stack, into: &out)
                } else {
                    renderSection(value, body, context, section: Int(op.b), source: Int(op.c), &stack, into: &out)
                }
            case .block:
                // What a block shows depends on the templates that inherit it: a fragment
                // that shows one is not kept.
                context.tracker?.usedBlock = true
                var c = context
                c.sequence = nil
                if let override = context.inherited?[program.strings[Int(op.a)]] {
                    c.indentation = CompiledTemplates.join(context.indentation, string(op.c))
                    if op.flag, let first = string(op.c), !first.isEmpty {
                        // A standalone block: the override's first line is indented too.
                        var piece: [UInt8] = []
                        render(override, c, &stack, into: &piece)
                        if !piece.isEmpty { out.append(contentsOf: first.utf8) }
                        out.append(contentsOf: piece)
                    } else {
                        render(override, c, &stack, into: &out)
                    }
                } else {
                    c.indentation = CompiledTemplates.join(context.indentation, string(op.b))
                    render(index + 1 ..< Int(op.next), c, &stack, into: &out)
                }
            case .partial:
                let name: String
                if op.flag {
                    guard case .string(let s)? = resolve(Int(op.a), context, stack) else { break }
                    name = s
                } else {
                    name = program.strings[Int(op.a)]
                }
                guard let range = program.templates[name] else { break }
                var c = context
                c.indentation = CompiledTemplates.join(context.indentation, string(op.b))
                if op.c >= 0 {
                    // Outer definitions win, as in swift-mustache and the spec.
                    let inherits = program.overrides[Int(op.c)]
                    c.inherited = context.inherited.map { $0.merging(inherits) { outer, _ in outer } } ?? inherits
                }
                c.html = true
                c.sequence = nil
                render(range, c, &stack, into: &out)
            case .contentType:
                context.html = op.flag
            }
            return Int(op.next)
        }

        /// Renders `body` with `value` on top of the stack.
        @inline(__always)
        private func with(_ value: TemplateValue, _ body: Range<Int>, _ context: Context, sequence: Sequence? = nil,
                          _ stack: inout Stack, into out: inout [UInt8]) {
            var c = context
            c.sequence = sequence
            stack.items.append(value)
            render(body, c, &stack, into: &out)
            stack.items.removeLast()
        }

        private func renderSection(_ value: TemplateValue?, _ body: Range<Int>, _ context: Context, section: Int, source: Int,
                                   _ stack: inout Stack, into out: inout [UInt8]) {
            guard let value else { return }
            switch value {
            case .contexts(let list): renderList(list, body, context, section: section, &stack, into: &out) { .context($0) }
            case .strings(let list): renderList(list, body, context, section: section, &stack, into: &out) { .string($0) }
            case .list(let list): renderList(list, body, context, section: section, &stack, into: &out) { TemplateValue($0) ?? .other($0) }
            case .bool(let flag): if flag { render(body, context, &stack, into: &out) }
            case .lambda(let lambda):
                let s = program.sources[source]
                renderLambda(lambda, s.text, open: s.open, close: s.close, escaped: false, context, &stack, into: &out)
            default: with(value, body, context, &stack, into: &out)
            }
        }

        private func renderList<List: RandomAccessCollection>(_ list: List, _ body: Range<Int>, _ context: Context, section: Int,
                                                              _ stack: inout Stack, into out: inout [UInt8],
                                                              _ element: (List.Element) -> TemplateValue) where List.Index == Int {
            for (i, item) in list.enumerated() {
                // Each element is a step: a list inside itself with nothing to write loops too.
                if stack.stepTooFar(out.count) { return }
                let value = element(item)
                let sequence = Sequence(first: i == 0, last: i == list.count - 1, index: i)
                // A list element the views marked as the same on many pages (a service's
                // catalogue entry) renders once per build and section; see FragmentMemo.
                // Inside an inheriting template too (every page is one): the tracker notes a
                // block shown by the element, the one thing inheritance changes.
                if let memo, context.tracker == nil, context.indentation?.isEmpty ?? true,
                   case .string(let key)? = CompiledTemplates.immediateChild(FragmentMemo.keyName, hash: FragmentMemo.keyHash, of: value) {
                    let memoKey = FragmentMemo.Key(section: section, element: key, html: context.html)
                    // A name the fragment looked up in vain must still be nowhere to be found.
                    if let hit = memo.get(memoKey), hit.absent.allSatisfy({ name in
                        let hash = ViewContext.hash(name)
                        return !stack.items.contains { CompiledTemplates.immediateChild(name, hash: hash, of: $0) != nil }
                    }) {
                        out.append(contentsOf: hit.bytes)
                        continue
                    }
                    let tracker = FragmentMemo.Tracker()
                    var piece: [UInt8] = []
                    var tracked = context
                    tracked.tracker = tracker
                    tracked.boundary = stack.items.count
                    with(value, body, tracked, sequence: sequence, &stack, into: &piece)
                    if tracker.isReusable(allowed: memo.sharedNames), !stack.failed {
                        memo.set(memoKey, .init(bytes: piece, absent: Array(tracker.absent)))
                    }
                    out.append(contentsOf: piece)
                    continue
                }
                with(value, body, context, sequence: sequence, &stack, into: &out)
            }
        }

        private func renderInverted(_ value: TemplateValue?, _ body: Range<Int>, _ context: Context, _ stack: inout Stack, into out: inout [UInt8]) {
            guard let value else { return render(body, context, &stack, into: &out) }
            switch value {
            case .contexts(let list): if list.isEmpty { with(value, body, context, &stack, into: &out) }
            case .strings(let list): if list.isEmpty { with(value, body, context, &stack, into: &out) }
            case .list(let list): if list.isEmpty { with(value, body, context, &stack, into: &out) }
            case .bool(let flag): if !flag { render(body, context, &stack, into: &out) }
            default: break
            }
        }

        /// A lambda's result, parsed as a template (with `open` and `close` in force) and
        /// rendered here; escaped afterwards when `escaped` (an interpolation).
        private func renderLambda(_ lambda: TemplateLambda, _ text: String, open: [UInt8], close: [UInt8], escaped: Bool,
                                  _ context: Context, _ stack: inout Stack, into out: inout [UInt8]) {
            // A lambda may answer differently each time: a fragment that calls one is not kept.
            context.tracker?.usedLambda = true
            guard let result = lambda.body(text), case .success(let nodes) = TemplateParser.parse(result, open: open, close: close) else { return }
            // `{{name}}` escapes the text the lambda wrote; the values its tags show are
            // escaped as any value (once).
            let (extended, range) = program.appending(escaped ? CompiledTemplates.escapingText(nodes) : nodes)
            var c = context
            c.sequence = nil
            Run(program: extended, memo: memo).render(range, c, &stack, into: &out)
        }

        /// A variable's value as text, escaped byte by byte when `escaped`.
        private func write(_ value: TemplateValue, escaped: Bool, _ context: Context, _ stack: inout Stack, into out: inout [UInt8]) {
            switch value {
            case .string(let s): CompiledTemplates.write(s, escaped: escaped, into: &out)
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .int(let i): out.append(contentsOf: String(i).utf8)
            case .lambda(let lambda):
                renderLambda(lambda, "", open: TemplateParser.defaultOpen, close: TemplateParser.defaultClose, escaped: escaped, context, &stack, into: &out)
            case .other(let v): CompiledTemplates.write(String(describing: v), escaped: escaped, into: &out)
            default: CompiledTemplates.write(String(describing: value.any), escaped: escaped, into: &out)
            }
        }

        private func resolve(_ nameIndex: Int, _ context: Context, _ stack: Stack) -> TemplateValue? {
            let name = program.names[nameIndex]
            var value: TemplateValue?
            switch name.scope {
            case .current:
                value = stack.items.last
            case .sequence:
                context.tracker?.usedSequence = true
                guard let s = context.sequence else { return nil }
                var result: TemplateValue
                switch name.transforms[name.transforms.count - 1] {
                case "first": result = .bool(s.first)
                case "last": result = .bool(s.last)
                case "index": result = .int(s.index)
                case "even": result = .bool(s.index & 1 == 0)
                default: result = .bool(s.index & 1 == 1)
                }
                for transform in name.transforms.dropLast().reversed() {
                    guard let transformed = CompiledTemplates.apply(transform, to: result) else { return nil }
                    result = transformed
                }
                return result
            case .anchored:
                value = CompiledTemplates.child(name.parts, name.partHashes, from: stack.items[stack.items.count - 1], start: 0)
            case .stack:
                var index = stack.items.count
                while index > 0 {
                    index -= 1
                    if let first = CompiledTemplates.immediateChild(name.first, hash: name.firstHash, of: stack.items[index]) {
                        value = name.parts.count == 1 ? first : CompiledTemplates.child(name.parts, name.partHashes, from: first, start: 1)
                        break
                    }
                }
                // Read from outside the memoized element, or looked up in vain.
                if let tracker = context.tracker {
                    if value == nil {
                        tracker.absent.insert(name.first)
                    } else if index < context.boundary {
                        tracker.outside.insert(name.first)
                    }
                }
            }
            guard var result = value else { return nil }
            for transform in name.transforms.reversed() {
                guard let transformed = CompiledTemplates.apply(transform, to: result) else { return nil }
                result = transformed
            }
            return result
        }
    }

    /// `nodes` with their text escaped, at every depth.
    private static func escapingText(_ nodes: [TemplateNode]) -> [TemplateNode] {
        nodes.map { node in
            switch node {
            case .text(let bytes):
                var out: [UInt8] = []
                HTML.escape(String(decoding: bytes, as: UTF8.self), into: &out)
                return .text(out)
            case .section(let name, let inverted, let body, let source):
                return .section(name, inverted: inverted, body: escapingText(body), source: source)
            case .block(let name, let body, let indentation, let standalone, let overrideIndentation):
                return .block(name: name, body: escapingText(body), indentation: indentation, standalone: standalone, overrideIndentation: overrideIndentation)
            case .blockDefinition(let name, let body):
                return .blockDefinition(name: name, body: escapingText(body))
            case .partial(let reference, let indentation, let overrides):
                return .partial(reference, indentation: indentation, overrides: overrides?.mapValues(escapingText))
            case .variable, .contentType:
                return node
            }
        }
    }

    private static func join(_ a: String?, _ b: String?) -> String? {
        guard let b else { return a }
        return (a ?? "") + b
    }

    // MARK: Names

    private static func child(_ parts: [String], _ hashes: [Int], from value: TemplateValue, start: Int) -> TemplateValue? {
        var current = value
        for i in start..<parts.count {
            guard let next = immediateChild(parts[i], hash: hashes[i], of: current) else { return nil }
            current = next
        }
        return current
    }

    /// The child `name` (whose `ViewContext.hash` is `hash`) of `value`: only contexts
    /// and string-keyed dictionaries have children.
    @inline(__always)
    private static func immediateChild(_ name: String, hash: Int, of value: TemplateValue) -> TemplateValue? {
        switch value {
        case .context(let c): return c.value(name, hash: hash)
        case .stringTable(let d): return d[name].map(TemplateValue.string)
        case .dictionary(let d): return d[name].flatMap(TemplateValue.init)
        default: return nil
        }
    }

    /// swift-mustache's transforms, on the values views hold.
    private static func apply(_ transform: String, to value: TemplateValue) -> TemplateValue? {
        switch value {
        case .string(let s):
            switch transform {
            case "empty": return .bool(s.isEmpty)
            case "capitalized": return .string(s.capitalized)
            case "lowercased": return .string(s.lowercased())
            case "uppercased": return .string(s.uppercased())
            case "reversed": return .string(String(s.reversed()))
            default: return nil
            }
        case .contexts(let l):
            return apply(transform, to: l, { .context($0) }, { .contexts($0) }, sorted: nil)
        case .strings(let l):
            return apply(transform, to: l, { .string($0) }, { .strings($0) }, sorted: { .strings(l.sorted()) })
        case .list(let l):
            return apply(transform, to: l, { TemplateValue($0) ?? .other($0) }, { .list($0) }, sorted: nil)
        case .int(let i):
            switch transform {
            case "equalzero": return .bool(i == 0)
            case "plusone": return .int(i + 1)
            case "minusone": return .int(i - 1)
            case "even": return .bool(i & 1 == 0)
            case "odd": return .bool(i & 1 == 1)
            default: return nil
            }
        case .stringTable(let d):
            switch transform {
            case "count": return .int(d.count)
            case "empty": return .bool(d.isEmpty)
            default: return nil
            }
        case .dictionary(let d):
            switch transform {
            case "count": return .int(d.count)
            case "empty": return .bool(d.isEmpty)
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func apply<Element>(_ transform: String, to list: [Element], _ element: (Element) -> TemplateValue,
                                       _ make: ([Element]) -> TemplateValue, sorted: (() -> TemplateValue)?) -> TemplateValue? {
        switch transform {
        case "first": return list.first.map(element)
        case "last": return list.last.map(element)
        case "reversed": return make(Array(list.reversed()))
        case "count": return .int(list.count)
        case "empty": return .bool(list.isEmpty)
        case "sorted": return sorted?()
        default: return nil
        }
    }

    // MARK: Text

    /// A value as text, escaped byte by byte (`HTML.escape`: `& < > " '`) when `escaped`.
    private static func write(_ s: String, escaped: Bool, into out: inout [UInt8]) {
        if escaped { HTML.escape(s, into: &out) } else { out.append(contentsOf: s.utf8) }
    }
}

/// Rendered list elements shared by many pages of one build: a service's entry is the
/// same on the catalogue, each filter page it appears on and the dashboard. The views mark
/// such elements with `__memo` (a key naming what the element is); the first render of an
/// element in a section is kept and reused when its output depends on nothing but the
/// element and on `sharedNames` — values the views guarantee to be the same on every page
/// of a language (and the key names the language). Anything else it reads from outside
/// the element (or a list position such as `first()`) makes the render not kept; names it
/// looked up in vain are checked again on every reuse. So a theme can never get a stale
/// fragment, only a slower build.
package final class FragmentMemo: Sendable {
    package static let keyName = "__memo"
    static let keyHash = ViewContext.hash(keyName)

    struct Key: Hashable {
        var section: Int
        var element: String
        var html: Bool
    }

    final class Tracker {
        var outside = Set<String>()
        var absent = Set<String>()
        var usedSequence = false
        var usedBlock = false
        var usedLambda = false
        func isReusable(allowed: Set<String>) -> Bool { !usedSequence && !usedBlock && !usedLambda && outside.isSubset(of: allowed) }
    }

    struct Fragment {
        var bytes: [UInt8]
        var absent: [String]
    }

    let sharedNames: Set<String>
    private struct State {
        var fragments: [Key: Fragment] = [:]
        /// Kept between generations (`serve`), element keys end with `#` and a signature of
        /// what the element is made from: a new version replaces the fragments of the old.
        var versions = VersionedKeys<Key>()
    }
    private let state = Mutex(State())

    package init(sharedNames: Set<String>) { self.sharedNames = sharedNames }

    func get(_ key: Key) -> Fragment? { state.withLock { $0.fragments[key] } }
    func set(_ key: Key, _ value: Fragment) {
        state.withLock { state in
            for stale in state.versions.insert(key, element: key.element) { state.fragments[stale] = nil }
            state.fragments[key] = value
        }
    }
}
