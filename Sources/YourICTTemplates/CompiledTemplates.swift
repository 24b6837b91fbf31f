import Foundation
import Mustache
import YourICTSupport
import YourICTFormats

/// The theme's templates, compiled for fast rendering.
///
/// swift-mustache parses the templates (its errors, its whitespace rules); this type
/// takes the parsed token trees and renders them without the per-tag protocol casts
/// that make swift-mustache slow on large sites (it renders about 5 MB/s here, this
/// about twenty times that). It implements swift-mustache's rendering rules exactly, and
/// a test renders every page of the example site both ways and compares the bytes.
/// Templates it cannot compile (lambdas, dynamic partials, unknown transforms) make
/// the whole library fall back to swift-mustache.
///
/// All templates are compiled into one flat program: a list of plain instructions
/// (`Op`) whose sections, blocks and partial overrides are ranges of the same list,
/// with the static text in one byte buffer. Walking a template then copies and retains
/// nothing, and pages are rendered straight into UTF-8 bytes.
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
            /// `b`: the section's id (for the fragment memo).
            case section
            /// `a`: its name in `strings`; the body is `index + 1 ..< next`; `b`: its
            /// indentation in `strings`, or -1.
            case block
            /// `a`: the template's name in `strings`; `b`: indentation in `strings` or -1;
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

    /// A tag name, split and classified once.
    struct Name: Sendable {
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

        var scope: Scope
        var parts: [String]
        var transforms: [String]
        /// `parts` after the first, kept rather than sliced on every lookup.
        var rest: [String] = []
        /// The first part ("" for `.` and positions): what the stack is searched for.
        var first: String
        /// `ViewContext.hash` of `first`, and of each of `parts` and `rest`.
        var firstHash: Int
        var partHashes: [Int]
        var restHashes: [Int]

        init(scope: Scope, parts: [String], transforms: [String]) {
            self.scope = scope
            self.parts = parts
            self.transforms = transforms
            rest = Array(parts.dropFirst())
            first = parts.first ?? ""
            firstHash = ViewContext.hash(first)
            partHashes = parts.map(ViewContext.hash)
            restHashes = Array(partHashes.dropFirst())
        }
    }

    private let ops: [Op]
    private let text: [UInt8]
    private let names: [Name]
    private let strings: [String]
    /// A partial's block overrides: block name → body.
    private let overrides: [[String: Range<Int>]]
    private let templates: [String: Range<Int>]

    /// nil when a template uses something only swift-mustache renders.
    package init?(library: MustacheLibrary, names: Set<String>) {
        var program = Program()
        var templates: [String: Range<Int>] = [:]
        for name in names.sorted() {
            guard let template = library.getTemplate(named: name), let range = program.compile(template) else {
                if EnvironmentFlag.isOn("YOURICT_DEBUG_TEMPLATES") {
                    FileHandle.standardError.write(Data("yourict: template `\(name)` uses what only swift-mustache renders; using it for every page\n".utf8))
                }
                return nil
            }
            templates[name] = range
        }
        ops = program.ops
        text = program.text
        self.names = program.names
        strings = program.strings
        overrides = program.overrides
        self.templates = templates
    }

    package func render(_ object: Any, template name: String, memo: FragmentMemo? = nil) -> String? {
        renderBytes(object, template: name, memo: memo).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The page as UTF-8 bytes, as it is written.
    package func renderBytes(_ object: Any, template name: String, memo: FragmentMemo? = nil) -> [UInt8]? {
        guard let range = templates[name] else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        ops.withUnsafeBufferPointer { ops in
            text.withUnsafeBufferPointer { text in
                names.withUnsafeBufferPointer { names in
                    let run = Run(program: self, ops: ops.baseAddress!, text: text.baseAddress!, names: names.baseAddress!, frames: Frames(object), memo: memo)
                    run.render(range, Context(), into: &out)
                }
            }
        }
        return out
    }

    // MARK: Compiling

    /// Section ids, unique within the process (themes are compiled once per build, and
    /// `serve`'s fragment memo outlives a theme).
    private static let sectionCounter = SectionCounter()
    private final class SectionCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next }
    }

    private static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]
    private static let valueTransforms: Set<String> = ["empty", "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count",
                                                       "equalzero", "plusone", "minusone", "even", "odd"]

    private struct Program {
        var ops: [Op] = []
        package var text: [UInt8] = []
        var names: [Name] = []
        package var strings: [String] = []
        var overrides: [[String: Range<Int>]] = []

        package mutating func string(_ s: String) -> Int32 {
            strings.append(s)
            return Int32(strings.count - 1)
        }

        /// Appends the template's instructions; their range, or nil.
        mutating func compile(_ template: MustacheTemplate) -> Range<Int>? {
            guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any] else { return nil }
            let start = ops.count
            for token in tokens {
                guard compileToken(token) else { return nil }
            }
            return start..<ops.count
        }

        private mutating func append(_ op: Op) -> Int {
            var op = op
            op.next = Int32(ops.count + 1)
            ops.append(op)
            return ops.count - 1
        }

        private mutating func compileToken(_ token: Any) -> Bool {
            guard let (kind, payload) = Mirror(reflecting: token).children.first.map({ ($0.label ?? "", $0.value) }) else { return false }
            let fields = Mirror(reflecting: payload).children.map(\.value)
            switch kind {
            case "text":
                guard let s = payload as? String else { return false }
                _ = append(Op(kind: .text, a: Int32(text.count), b: Int32(s.utf8.count)))
                text.append(contentsOf: s.utf8)
            case "variable", "unescapedVariable":
                guard fields.count == 2, let name = fields[0] as? String, let transforms = fields[1] as? [String],
                      let parsed = CompiledTemplates.parseName(name, transforms) else { return false }
                names.append(parsed)
                _ = append(Op(kind: .variable, flag: kind == "variable", a: Int32(names.count - 1)))
            case "section", "invertedSection":
                guard fields.count == 3, let name = fields[0] as? String, let transforms = fields[1] as? [String],
                      let template = fields[2] as? MustacheTemplate, let parsed = CompiledTemplates.parseName(name, transforms) else { return false }
                names.append(parsed)
                let at = append(Op(kind: .section, flag: kind == "invertedSection", a: Int32(names.count - 1),
                                   b: Int32(CompiledTemplates.sectionCounter.take())))
                guard compile(template) != nil else { return false }
                ops[at].next = Int32(ops.count)
            case "blockExpansion":
                guard fields.count == 3, let name = fields[0] as? String, let template = fields[1] as? MustacheTemplate else { return false }
                let at = append(Op(kind: .block, a: string(name), b: (fields[2] as? String).map { string($0) } ?? -1))
                guard compile(template) != nil else { return false }
                ops[at].next = Int32(ops.count)
            case "partial":
                guard fields.count == 3, let name = fields[0] as? String else { return false }
                let at = append(Op(kind: .partial, a: string(name), b: (fields[1] as? String).map { string($0) } ?? -1))
                if let map = fields[2] as? [String: MustacheTemplate] {
                    var compiled: [String: Range<Int>] = [:]
                    for (key, template) in map.sorted(by: { $0.key < $1.key }) {
                        guard let body = compile(template) else { return false }
                        compiled[key] = body
                    }
                    overrides.append(compiled)
                    ops[at].c = Int32(overrides.count - 1)
                }
                ops[at].next = Int32(ops.count)
            case "contentType":
                let typeName = String(describing: Swift.type(of: payload))
                if typeName.hasSuffix("HTMLContentType") {
                    _ = append(Op(kind: .contentType, flag: true))
                } else if typeName.hasSuffix("TextContentType") {
                    _ = append(Op(kind: .contentType, flag: false))
                } else {
                    return false
                }
            default:
                // Lambdas, dynamic partials and block definitions outside a parent.
                return false
            }
            return true
        }
    }

    private static func parseName(_ name: String, _ transforms: [String]) -> Name? {
        if name == "." { return transforms.isEmpty ? Name(scope: .current, parts: [], transforms: []) : nil }
        if name.isEmpty {
            guard transforms.count == 1, sequenceTransforms.contains(transforms[0]) else { return nil }
            return Name(scope: .sequence, parts: [], transforms: transforms)
        }
        guard transforms.allSatisfy(valueTransforms.contains) else { return nil }
        let parts = name.split(separator: ".").map(String.init)
        return Name(scope: name.first == "." ? .anchored : .stack, parts: parts, transforms: transforms)
    }

    // MARK: Rendering

    private struct Sequence {
        var first: Bool
        var last: Bool
        var index: Int
    }

    /// The context stack of one render, pushed and popped around sections: one array
    /// shared by every frame rather than a copy per section.
    private final class Frames {
        /// Only one render (one thread) ever touches a stack.
        @exclusivity(unchecked) var items: [Any]
        init(_ root: Any) {
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

    /// One render: the program (its instructions and text through pointers, valid for
    /// the render), the context stack and the memo.
    private struct Run {
        let program: CompiledTemplates
        let ops: UnsafePointer<Op>
        package let text: UnsafePointer<UInt8>
        let names: UnsafePointer<Name>
        let frames: Frames
        let memo: FragmentMemo?

        /// Renders `body` with `object` on top of the stack.
        @inline(__always)
        func with(_ object: Any, _ context: Context, sequence: Sequence? = nil, _ body: (Context) -> Void) {
            var c = context
            c.sequence = sequence
            frames.items.append(object)
            body(c)
            frames.items.removeLast()
        }

        /// One template render, as swift-mustache's `render(context:)`: indentation is
        /// added before a token's output when this render's output so far ends a line.
        package func render(_ range: Range<Int>, _ context: Context, into out: inout [UInt8]) {
            var context = context
            var i = range.lowerBound
            if let indentation = context.indentation, !indentation.isEmpty {
                var local: [UInt8] = []
                var piece: [UInt8] = []
                while i < range.upperBound {
                    piece.removeAll(keepingCapacity: true)
                    i = renderOp(i, &context, into: &piece)
                    if !piece.isEmpty, local.last == 10 { local.append(contentsOf: indentation.utf8) }
                    local.append(contentsOf: piece)
                }
                out.append(contentsOf: local)
            } else {
                while i < range.upperBound { i = renderOp(i, &context, into: &out) }
            }
        }

        /// Renders the instruction at `index`; the index of the next.
        @inline(__always)
        private func renderOp(_ index: Int, _ context: inout Context, into out: inout [UInt8]) -> Int {
            let op = ops[index]
            switch op.kind {
            case .text:
                out.append(contentsOf: UnsafeBufferPointer(start: text + Int(op.a), count: Int(op.b)))
            case .variable:
                switch resolve(names + Int(op.a), context) {
                case .at(let value): CompiledTemplates.write(at: value, escaped: op.flag && context.html, into: &out)
                case .made(let value): CompiledTemplates.write(value, escaped: op.flag && context.html, into: &out)
                case nil: break
                }
            case .section:
                let found = resolve(names + Int(op.a), context)
                let body = index + 1 ..< Int(op.next)
                if op.flag {
                    renderInverted(found?.value, body, context, into: &out)
                } else if case .at(let value) = found {
                    renderSection(at: value, body, context, section: Int(op.b), into: &out)
                } else {
                    renderSection(found?.value, body, context, section: Int(op.b), into: &out)
                }
            case .block:
                // What a block shows depends on the templates that inherit it: a fragment
                // that shows one is not kept.
                context.tracker?.usedBlock = true
                var c = context
                c.indentation = CompiledTemplates.join(context.indentation, op.b >= 0 ? program.strings[Int(op.b)] : nil)
                c.sequence = nil
                render(context.inherited?[program.strings[Int(op.a)]] ?? (index + 1 ..< Int(op.next)), c, into: &out)
            case .partial:
                guard let range = program.templates[program.strings[Int(op.a)]] else { break }
                var c = context
                c.indentation = CompiledTemplates.join(context.indentation, op.b >= 0 ? program.strings[Int(op.b)] : nil)
                if op.c >= 0 {
                    // Outer definitions win, as in swift-mustache.
                    let inherits = program.overrides[Int(op.c)]
                    c.inherited = context.inherited.map { $0.merging(inherits) { outer, _ in outer } } ?? inherits
                }
                c.html = true
                c.sequence = nil
                render(range, c, into: &out)
            case .contentType:
                context.html = op.flag
            }
            return Int(op.next)
        }

        /// A section whose value lies in a context of the stack: a list of contexts is
        /// iterated where it lies.
        private func renderSection(at value: UnsafePointer<Any>, _ body: Range<Int>, _ context: Context, section: Int, into out: inout [UInt8]) {
            if CompiledTemplates.type(at: value) == [ViewContext].self {
                renderList(CompiledTemplates.inPlace(value, as: [ViewContext].self) { $0 }, body, context, section: section, into: &out)
            } else {
                renderSection(value.pointee, body, context, section: section, into: &out)
            }
        }

        private func renderSection(_ value: Any?, _ body: Range<Int>, _ context: Context, section: Int, into out: inout [UInt8]) {
            guard let value else { return }
            // The views' lists are iterated as they are: a cast to `[Any]` would copy them.
            if Swift.type(of: value) == [ViewContext].self {
                renderList(value as! [ViewContext], body, context, section: section, into: &out)
            } else if let list = CompiledTemplates.list(value) {
                renderList(list, body, context, section: section, into: &out)
            } else if let flag = value as? Bool {
                if flag { render(body, context, into: &out) }
            } else {
                with(value, context) { render(body, $0, into: &out) }
            }
        }

        private func renderList<List: RandomAccessCollection>(_ list: List, _ body: Range<Int>, _ context: Context, section: Int,
                                                              into out: inout [UInt8]) where List.Index == Int {
            for (i, item) in list.enumerated() {
                var element: Any = item
                let sequence = Sequence(first: i == 0, last: i == list.count - 1, index: i)
                // A list element the views marked as the same on many pages (a service's
                // catalogue entry) renders once per build and section; see FragmentMemo.
                // Inside an inheriting template too (every page is one): the tracker notes a
                // block shown by the element, the one thing inheritance changes.
                if let memo, context.tracker == nil, context.indentation?.isEmpty ?? true,
                   let key = withUnsafePointer(to: &element, { CompiledTemplates.immediateChild(FragmentMemo.keyName, hash: FragmentMemo.keyHash, at: $0)?.value }) as? String {
                    let memoKey = FragmentMemo.Key(section: section, element: key, html: context.html)
                    // A name the fragment looked up in vain must still be nowhere to be found.
                    if let hit = memo.get(memoKey), hit.absent.allSatisfy({ name in
                        let hash = ViewContext.hash(name)
                        return frames.items.withUnsafeBufferPointer { items in
                            !items.indices.contains { CompiledTemplates.immediateChild(name, hash: hash, at: items.baseAddress! + $0) != nil }
                        }
                    }) {
                        out.append(contentsOf: hit.bytes)
                        continue
                    }
                    let tracker = FragmentMemo.Tracker()
                    var piece: [UInt8] = []
                    with(element, context, sequence: sequence) { c in
                        var tracked = c
                        tracked.tracker = tracker
                        tracked.boundary = frames.items.count - 1
                        render(body, tracked, into: &piece)
                    }
                    if tracker.isReusable(allowed: memo.sharedNames) { memo.set(memoKey, .init(bytes: piece, absent: Array(tracker.absent))) }
                    out.append(contentsOf: piece)
                    continue
                }
                with(element, context, sequence: sequence) { render(body, $0, into: &out) }
            }
        }

        private func renderInverted(_ value: Any?, _ body: Range<Int>, _ context: Context, into out: inout [UInt8]) {
            guard let value else { return render(body, context, into: &out) }
            if let list = CompiledTemplates.list(value) {
                if list.isEmpty { with(value, context) { render(body, $0, into: &out) } }
            } else if let flag = value as? Bool {
                if !flag { render(body, context, into: &out) }
            }
        }

        private func resolve(_ name: UnsafePointer<Name>, _ context: Context) -> Found? {
            var value: Found?
            switch name.pointee.scope {
            case .current:
                // A copy: the stack's own storage moves when it grows.
                value = frames.items.last.map(Found.made)
            case .sequence:
                context.tracker?.usedSequence = true
                guard let s = context.sequence else { return nil }
                switch name.pointee.transforms[0] {
                case "first": return .made(s.first)
                case "last": return .made(s.last)
                case "index": return .made(s.index)
                case "even": return .made(s.index & 1 == 0)
                default: return .made(s.index & 1 == 1)
                }
            case .anchored:
                value = frames.items.withUnsafeBufferPointer { items in
                    CompiledTemplates.child(name.pointee.parts, name.pointee.partHashes, from: items.baseAddress! + (items.count - 1))
                }
            case .stack:
                value = nil
                var index = frames.items.count
                frames.items.withUnsafeBufferPointer { items in
                    while index > 0 {
                        index -= 1
                        if let first = CompiledTemplates.immediateChild(name.pointee.first, hash: name.pointee.firstHash, at: items.baseAddress! + index) {
                            value = name.pointee.rest.isEmpty ? first : CompiledTemplates.child(name.pointee.rest, name.pointee.restHashes, from: first)
                            break
                        }
                    }
                }
                // Read from outside the memoized element, or looked up in vain.
                if let tracker = context.tracker {
                    if value == nil {
                        tracker.absent.insert(name.pointee.first)
                    } else if index < context.boundary {
                        tracker.outside.insert(name.pointee.first)
                    }
                }
            }
            guard let found = value else { return nil }
            if name.pointee.transforms.isEmpty { return found }
            var result = found.value
            for transform in name.pointee.transforms.reversed() {
                guard let transformed = CompiledTemplates.apply(transform, to: result) else { return nil }
                result = transformed
            }
            return .made(result)
        }
    }

    /// Where a name's value is. Inside a context of the stack, it is read where it lies
    /// (copying an `Any` retains what it holds, and a page reads tens of thousands of
    /// values): the pointer stays valid while the frame holding that context is on the
    /// stack, that is, for the instruction that looked it up. Anything else (the current
    /// object, a transform's result, a value of a dictionary) is a copy.
    private enum Found {
        case at(UnsafePointer<Any>)
        case made(Any)

        var value: Any {
            switch self {
            case .at(let pointer): return pointer.pointee
            case .made(let value): return value
            }
        }
    }

    /// The dynamic type of the value an `Any` holds, read from the existential's type
    /// word (after its three-word buffer): `type(of: pointer.pointee)` copies the value
    /// first. A test compares the two on values stored inline and boxed.
    @inline(__always)
    static func type(at pointer: UnsafePointer<Any>) -> Any.Type {
        UnsafeRawPointer(pointer).load(fromByteOffset: 3 * MemoryLayout<Int>.size, as: Any.Type.self)
    }

    /// `body` applied to the value of type `T` that `object` holds, read where it lies:
    /// values of at most three words lie in the existential's inline buffer, at its start.
    @inline(__always)
    private static func inPlace<T, R>(_ object: UnsafePointer<Any>, as type: T.Type, _ body: (borrowing T) -> R) -> R {
        assert(Swift.type(of: object.pointee) == T.self)
        guard MemoryLayout<T>.size <= 3 * MemoryLayout<Int>.size, MemoryLayout<T>.alignment <= MemoryLayout<Int>.alignment else {
            return body(object.pointee as! T)
        }
        return body(UnsafeRawPointer(object).assumingMemoryBound(to: T.self).pointee)
    }

    private static func join(_ a: String?, _ b: String?) -> String? {
        guard let b else { return a }
        return (a ?? "") + b
    }

    /// Lists as swift-mustache sees them (any Array); the common element types are
    /// checked first because a cast to `[Any]` copies the array.
    @inline(__always)
    private static func list(_ value: Any) -> [Any]? {
        // Exact type checks first: a conditional cast between container types converts
        // element by element, which on hot paths costs more than the rendering itself.
        let type = Swift.type(of: value)
        if type == [ViewContext].self { return value as! [ViewContext] }
        if type == [[String: Any]].self { return value as! [[String: Any]] }
        if type == [String].self { return value as! [String] }
        if type == [Any].self { return (value as! [Any]) }
        if type == ViewContext.self || type == [String: Any].self || type == [String: String].self || type == String.self || type == Bool.self { return nil }
        return value as? [Any]
    }

    // MARK: Names

    /// `object` and the values below it are read where they lie (see `Found`).
    private static func child(_ parts: [String], _ hashes: [Int], from object: UnsafePointer<Any>) -> Found? {
        child(parts, hashes, from: immediateChild(parts[0], hash: hashes[0], at: object), after: 1)
    }

    private static func child(_ parts: [String], _ hashes: [Int], from found: Found) -> Found? {
        child(parts, hashes, from: found, after: 0)
    }

    private static func child(_ parts: [String], _ hashes: [Int], from found: Found?, after start: Int) -> Found? {
        guard var current = found else { return nil }
        for i in start..<parts.count {
            switch current {
            case .at(let pointer):
                guard let next = immediateChild(parts[i], hash: hashes[i], at: pointer) else { return nil }
                current = next
            case .made(let value):
                guard let next = immediateChild(parts[i], hash: hashes[i], of: value) else { return nil }
                current = .made(next)
            }
        }
        return current
    }

    /// The child `name` (whose `ViewContext.hash` is `hash`) of the object at `pointer`.
    /// The object is read through the pointer: passing an `Any` copies it (retaining what it
    /// holds), and names are looked up tens of thousands of times per page. A child of a
    /// context is found where it lies (its pointer stays valid as long as the context that
    /// `pointer` reads); of anything else, it is a copy.
    @inline(__always)
    private static func immediateChild(_ name: String, hash: Int, at pointer: UnsafePointer<Any>) -> Found? {
        if type(at: pointer) == ViewContext.self {
            return inPlace(pointer, as: ViewContext.self) { $0.valuePointer(name, hash: hash) }.map(Found.at)
        }
        return immediateChild(name, hash: hash, of: pointer.pointee).map(Found.made)
    }

    /// Only contexts and string-keyed dictionaries have children: what swift-mustache
    /// finds through `MustacheParent`. (It would also reflect structs; views hold none.)
    private static func immediateChild(_ name: String, hash: Int, of object: Any) -> Any? {
        let type = Swift.type(of: object)
        if type == [String: Any].self { return (object as! [String: Any])[name] }
        if type == [String: String].self { return (object as! [String: String])[name] }
        if type == String.self || type == Bool.self || type == [ViewContext].self || type == [[String: Any]].self || type == [String].self { return nil }
        return (object as? MustacheParent)?.child(named: name)
    }

    private static func apply(_ transform: String, to value: Any) -> Any? {
        if let s = value as? String {
            switch transform {
            case "empty": return s.isEmpty
            case "capitalized": return s.capitalized
            case "lowercased": return s.lowercased()
            case "uppercased": return s.uppercased()
            case "reversed": return Substring(s.reversed())
            default: return nil
            }
        }
        if let l = list(value) {
            switch transform {
            case "first": return l.first
            case "last": return l.last
            case "reversed": return Array(l.reversed())
            case "count": return l.count
            case "empty": return l.isEmpty
            default: return nil
            }
        }
        if let i = value as? Int {
            switch transform {
            case "equalzero": return i == 0
            case "plusone": return i + 1
            case "minusone": return i - 1
            case "even": return i & 1 == 0
            case "odd": return i & 1 == 1
            default: return nil
            }
        }
        return nil
    }

    // MARK: Text

    /// A variable's value as text, escaped as swift-mustache does (the same five
    /// characters, the same entities) when `escaped`.
    @inline(__always)
    private static func write(at value: UnsafePointer<Any>, escaped: Bool, into out: inout [UInt8]) {
        if type(at: value) == String.self {
            inPlace(value, as: String.self) { write($0, escaped: escaped, into: &out) }
        } else {
            write(value.pointee, escaped: escaped, into: &out)
        }
    }

    @inline(__always)
    private static func write(_ value: Any, escaped: Bool, into out: inout [UInt8]) {
        if let s = value as? String {
            write(s, escaped: escaped, into: &out)
        } else if let b = value as? Bool {
            out.append(contentsOf: (b ? "true" : "false").utf8)
        } else if let i = value as? Int {
            out.append(contentsOf: String(i).utf8)
        } else {
            write(String(describing: value), escaped: escaped, into: &out)
        }
    }

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
package final class FragmentMemo: @unchecked Sendable {
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
        func isReusable(allowed: Set<String>) -> Bool { !usedSequence && !usedBlock && outside.isSubset(of: allowed) }
    }

    struct Fragment {
        var bytes: [UInt8]
        var absent: [String]
    }

    let sharedNames: Set<String>
    private let lock = NSLock()
    private var fragments: [Key: Fragment] = [:]
    /// Kept between generations (`serve`), element keys end with `#` and a signature of
    /// what the element is made from: a new version replaces the fragments of the old.
    private var versions = VersionedKeys<Key>()

    package init(sharedNames: Set<String>) { self.sharedNames = sharedNames }

    func get(_ key: Key) -> Fragment? { lock.lock(); defer { lock.unlock() }; return fragments[key] }
    func set(_ key: Key, _ value: Fragment) {
        lock.lock()
        for stale in versions.insert(key, element: key.element) { fragments[stale] = nil }
        fragments[key] = value
        lock.unlock()
    }
}
