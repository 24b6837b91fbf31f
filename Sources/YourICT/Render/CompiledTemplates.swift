import Foundation
import Mustache

/// The theme's templates, compiled for fast rendering.
///
/// swift-mustache parses the templates (its errors, its whitespace rules); this type
/// takes the parsed token trees and renders them without the per-tag protocol casts
/// that make swift-mustache slow on large sites (it renders about 5 MB/s here, this
/// about ten times that). It implements swift-mustache's rendering rules exactly, and
/// a test renders every page of the example site both ways and compares the bytes.
/// Templates it cannot compile (lambdas, dynamic partials, unknown transforms) make
/// the whole library fall back to swift-mustache.
struct CompiledTemplates: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        /// `id` tells sections apart for the fragment memo.
        case section(Name, [Node], inverted: Bool, id: Int)
        case block(String, [Node], indentation: String?)
        case partial(String, indentation: String?, inherits: [String: [Node]]?)
        case contentType(html: Bool)
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

        init(scope: Scope, parts: [String], transforms: [String]) {
            self.scope = scope
            self.parts = parts
            self.transforms = transforms
            rest = Array(parts.dropFirst())
        }
    }

    private let templates: [String: [Node]]

    /// nil when a template uses something only swift-mustache renders.
    init?(library: MustacheLibrary, names: Set<String>) {
        var compiled: [String: [Node]] = [:]
        for name in names {
            guard let template = library.getTemplate(named: name), let nodes = Self.compile(template) else {
                if EnvironmentFlag.isOn("YOURICT_DEBUG_TEMPLATES") {
                    FileHandle.standardError.write(Data("yourict: template `\(name)` uses what only swift-mustache renders; using it for every page\n".utf8))
                }
                return nil
            }
            compiled[name] = nodes
        }
        templates = compiled
    }

    func render(_ object: Any, template name: String, memo: FragmentMemo? = nil) -> String? {
        guard let nodes = templates[name] else { return nil }
        var out = ""
        out.reserveCapacity(16_384)
        var context = Context(frames: Frames(object))
        context.memo = memo
        render(nodes, context, into: &out)
        return out
    }

    // MARK: Compiling

    /// Section ids, unique within the process (themes are compiled once per build).
    private static let sectionCounter = SectionCounter()
    private final class SectionCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next }
    }
    private static func nextSectionID() -> Int { sectionCounter.take() }

    private static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]
    private static let valueTransforms: Set<String> = ["empty", "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count",
                                                       "equalzero", "plusone", "minusone", "even", "odd"]

    private static func compile(_ template: MustacheTemplate) -> [Node]? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any] else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(tokens.count)
        for token in tokens {
            guard let node = compileToken(token) else { return nil }
            nodes.append(node)
        }
        return nodes
    }

    private static func compileToken(_ token: Any) -> Node? {
        guard let (kind, payload) = Mirror(reflecting: token).children.first.map({ ($0.label ?? "", $0.value) }) else { return nil }
        let fields = Mirror(reflecting: payload).children.map(\.value)
        switch kind {
        case "text":
            return (payload as? String).map(Node.text)
        case "variable", "unescapedVariable":
            guard fields.count == 2, let name = fields[0] as? String, let transforms = fields[1] as? [String],
                  let parsed = parseName(name, transforms) else { return nil }
            return .variable(parsed, escaped: kind == "variable")
        case "section", "invertedSection":
            guard fields.count == 3, let name = fields[0] as? String, let transforms = fields[1] as? [String],
                  let template = fields[2] as? MustacheTemplate, let parsed = parseName(name, transforms),
                  let body = compile(template) else { return nil }
            return .section(parsed, body, inverted: kind == "invertedSection", id: nextSectionID())
        case "blockExpansion":
            guard fields.count == 3, let name = fields[0] as? String, let template = fields[1] as? MustacheTemplate,
                  let body = compile(template) else { return nil }
            return .block(name, body, indentation: fields[2] as? String)
        case "partial":
            guard fields.count == 3, let name = fields[0] as? String else { return nil }
            var inherits: [String: [Node]]? = nil
            if let map = fields[2] as? [String: MustacheTemplate] {
                var compiled: [String: [Node]] = [:]
                for (key, template) in map {
                    guard let body = compile(template) else { return nil }
                    compiled[key] = body
                }
                inherits = compiled
            }
            return .partial(name, indentation: fields[1] as? String, inherits: inherits)
        case "contentType":
            let typeName = String(describing: type(of: payload))
            if typeName.hasSuffix("HTMLContentType") { return .contentType(html: true) }
            if typeName.hasSuffix("TextContentType") { return .contentType(html: false) }
            return nil
        default:
            // Lambdas, dynamic partials and block definitions outside a parent.
            return nil
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
        var items: [Any]
        init(_ root: Any) {
            items = [root]
            items.reserveCapacity(16)
        }
    }

    private struct Context {
        let frames: Frames
        var sequence: Sequence? = nil
        var indentation: String? = nil
        var inherited: [String: [Node]]? = nil
        var html = true
        var memo: FragmentMemo? = nil
        /// While a memoizable list element renders: what its output read from outside it.
        var tracker: FragmentMemo.Tracker? = nil
        /// The stack index of that element: frames below it are outside.
        var boundary = 0

        /// Renders `body` with `object` on top of the stack.
        @inline(__always)
        func with(_ object: Any, sequence: Sequence? = nil, _ body: (Context) -> Void) {
            var c = self
            c.sequence = sequence
            frames.items.append(object)
            body(c)
            frames.items.removeLast()
        }
    }

    /// One template render, as swift-mustache's `render(context:)`: indentation is
    /// added before a token's output when this render's output so far ends a line.
    private func render(_ nodes: [Node], _ context: Context, into out: inout String) {
        var context = context
        if let indentation = context.indentation, !indentation.isEmpty {
            var local = ""
            for node in nodes {
                var piece = ""
                renderNode(node, &context, into: &piece)
                if !piece.isEmpty, local.utf8.last == 10 { local += indentation }
                local += piece
            }
            out += local
        } else {
            for node in nodes { renderNode(node, &context, into: &out) }
        }
    }

    private func renderNode(_ node: Node, _ context: inout Context, into out: inout String) {
        switch node {
        case .text(let text):
            out += text
        case .variable(let name, let escaped):
            guard let value = resolve(name, context) else { return }
            let text = Self.text(of: value)
            if escaped && context.html { Self.escape(text, into: &out) } else { out += text }
        case .section(let name, let body, let inverted, let id):
            let value = resolve(name, context)
            if inverted { renderInverted(value, body, context, into: &out) } else { renderSection(value, body, context, section: id, into: &out) }
        case .block(let name, let body, let indentation):
            var c = context
            c.indentation = Self.join(context.indentation, indentation)
            c.sequence = nil
            render(context.inherited?[name] ?? body, c, into: &out)
        case .partial(let name, let indentation, let inherits):
            guard let nodes = templates[name] else { return }
            var c = context
            c.indentation = Self.join(context.indentation, indentation)
            if let inherits {
                // Outer definitions win, as in swift-mustache.
                c.inherited = context.inherited.map { $0.merging(inherits) { outer, _ in outer } } ?? inherits
            }
            c.html = true
            c.sequence = nil
            render(nodes, c, into: &out)
        case .contentType(let html):
            context.html = html
        }
    }

    private static func join(_ a: String?, _ b: String?) -> String? {
        guard let b else { return a }
        return (a ?? "") + b
    }

    private func renderSection(_ value: Any?, _ body: [Node], _ context: Context, section: Int, into out: inout String) {
        guard let value else { return }
        if let list = Self.list(value) {
            for (i, element) in list.enumerated() {
                let sequence = Sequence(first: i == 0, last: i == list.count - 1, index: i)
                // A list element the views marked as the same on many pages (a service's
                // catalogue entry) renders once per build and section; see FragmentMemo.
                if let memo = context.memo, context.tracker == nil, context.inherited == nil, context.indentation?.isEmpty ?? true,
                   let key = (element as? [String: Any])?[FragmentMemo.keyName] as? String {
                    let memoKey = FragmentMemo.Key(section: section, element: key, html: context.html)
                    // A name the fragment looked up in vain must still be nowhere to be found.
                    if let hit = memo.get(memoKey), hit.absent.allSatisfy({ name in !context.frames.items.contains { Self.immediateChild(name, of: $0) != nil } }) {
                        out += hit.text
                        continue
                    }
                    let tracker = FragmentMemo.Tracker()
                    var piece = ""
                    context.with(element, sequence: sequence) { c in
                        var tracked = c
                        tracked.tracker = tracker
                        tracked.boundary = c.frames.items.count - 1
                        render(body, tracked, into: &piece)
                    }
                    if tracker.isReusable(allowed: memo.sharedNames) { memo.set(memoKey, .init(text: piece, absent: Array(tracker.absent))) }
                    out += piece
                    continue
                }
                context.with(element, sequence: sequence) { render(body, $0, into: &out) }
            }
        } else if let flag = value as? Bool {
            if flag { render(body, context, into: &out) }
        } else {
            context.with(value) { render(body, $0, into: &out) }
        }
    }

    private func renderInverted(_ value: Any?, _ body: [Node], _ context: Context, into out: inout String) {
        guard let value else { return render(body, context, into: &out) }
        if let list = Self.list(value) {
            if list.isEmpty { context.with(value) { render(body, $0, into: &out) } }
        } else if let flag = value as? Bool {
            if !flag { render(body, context, into: &out) }
        }
    }

    /// Lists as swift-mustache sees them (any Array); the common element types are
    /// checked first because a cast to `[Any]` copies the array.
    @inline(__always)
    private static func list(_ value: Any) -> [Any]? {
        // Exact type checks first: a conditional cast between container types converts
        // element by element, which on hot paths costs more than the rendering itself.
        let type = Swift.type(of: value)
        if type == [[String: Any]].self { return value as! [[String: Any]] }
        if type == [String].self { return value as! [String] }
        if type == [Any].self { return value as! [Any] }
        if type == [String: Any].self || type == [String: String].self || type == String.self || type == Bool.self { return nil }
        return value as? [Any]
    }

    // MARK: Names

    private func resolve(_ name: Name, _ context: Context) -> Any? {
        var value: Any?
        switch name.scope {
        case .current:
            return context.frames.items.last
        case .sequence:
            context.tracker?.usedSequence = true
            guard let s = context.sequence else { return nil }
            switch name.transforms[0] {
            case "first": return s.first
            case "last": return s.last
            case "index": return s.index
            case "even": return s.index & 1 == 0
            default: return s.index & 1 == 1
            }
        case .anchored:
            value = Self.child(name.parts, from: context.frames.items.last!)
        case .stack:
            value = nil
            let items = context.frames.items
            var index = items.count
            while index > 0 {
                index -= 1
                if let first = Self.immediateChild(name.parts[0], of: items[index]) {
                    value = name.rest.isEmpty ? first : Self.child(name.rest, from: first)
                    break
                }
            }
            // Read from outside the memoized element, or looked up in vain.
            if let tracker = context.tracker {
                if value == nil {
                    tracker.absent.insert(name.parts[0])
                } else if index < context.boundary {
                    tracker.outside.insert(name.parts[0])
                }
            }
        }
        guard var result = value else { return nil }
        for transform in name.transforms.reversed() {
            guard let transformed = Self.apply(transform, to: result) else { return nil }
            result = transformed
        }
        return result
    }

    private static func child(_ parts: [String], from object: Any) -> Any? {
        var current = object
        for part in parts {
            guard let next = immediateChild(part, of: current) else { return nil }
            current = next
        }
        return current
    }

    /// Only string-keyed dictionaries have children: what swift-mustache finds through
    /// `MustacheParent`. (It would also reflect structs; view models hold none.)
    @inline(__always)
    private static func immediateChild(_ name: String, of object: Any) -> Any? {
        let type = Swift.type(of: object)
        if type == [String: Any].self { return (object as! [String: Any])[name] }
        if type == [String: String].self { return (object as! [String: String])[name] }
        if type == String.self || type == Bool.self || type == [[String: Any]].self || type == [String].self { return nil }
        return (object as? [String: Any])?[name]
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

    private static func text(of value: Any) -> String {
        if let s = value as? String { return s }
        if let b = value as? Bool { return b ? "true" : "false" }
        if let i = value as? Int { return String(i) }
        return String(describing: value)
    }

    /// The five characters swift-mustache escapes, with the same entities.
    @inline(__always)
    private static func escape(_ s: String, into out: inout String) {
        var clean = true
        for b in s.utf8 where b == 38 || b == 60 || b == 62 || b == 34 || b == 39 {
            clean = false
            break
        }
        if clean {
            out += s
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 38: bytes.append(contentsOf: [38, 97, 109, 112, 59])  // &amp;
            case 60: bytes.append(contentsOf: [38, 108, 116, 59])  // &lt;
            case 62: bytes.append(contentsOf: [38, 103, 116, 59])  // &gt;
            case 34: bytes.append(contentsOf: [38, 113, 117, 111, 116, 59])  // &quot;
            case 39: bytes.append(contentsOf: [38, 35, 51, 57, 59])  // &#39;
            default: bytes.append(b)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
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
final class FragmentMemo: @unchecked Sendable {
    static let keyName = "__memo"

    struct Key: Hashable {
        var section: Int
        var element: String
        var html: Bool
    }

    final class Tracker {
        var outside = Set<String>()
        var absent = Set<String>()
        var usedSequence = false
        func isReusable(allowed: Set<String>) -> Bool { !usedSequence && outside.isSubset(of: allowed) }
    }

    struct Fragment {
        var text: String
        var absent: [String]
    }

    let sharedNames: Set<String>
    private let lock = NSLock()
    private var fragments: [Key: Fragment] = [:]
    /// Kept between generations (`serve`), element keys end with `#` and a signature of
    /// what the element is made from: a new version replaces the fragments of the old.
    private var versions = VersionedKeys<Key>()

    init(sharedNames: Set<String>) { self.sharedNames = sharedNames }

    func get(_ key: Key) -> Fragment? { lock.lock(); defer { lock.unlock() }; return fragments[key] }
    func set(_ key: Key, _ value: Fragment) {
        lock.lock()
        for stale in versions.insert(key, element: key.element) { fragments[stale] = nil }
        fragments[key] = value
        lock.unlock()
    }
}
