import Yams

/// A parsed YAML value with its position, as `YAMLReader` reads it. Produced by the
/// fast front-matter parser (`FastYAML`) or, for YAML beyond it, converted from Yams.
public indirect enum YAMLNode: Sendable {
    /// 1-based line and column (in Unicode scalars) within the YAML text.
    public struct Mark: Sendable, Hashable {
        public var line: Int
        public var column: Int
    }

    public struct Scalar: Sendable {
        public var string: String
        /// Written without quotes, block indicator or `!!str` tag: only then may it mean null.
        public var isPlain: Bool
        public var mark: Mark
    }

    public struct Mapping: Sendable, Sequence {
        public var pairs: [(key: YAMLNode, value: YAMLNode)]
        public var mark: Mark

        public func makeIterator() -> IndexingIterator<[(key: YAMLNode, value: YAMLNode)]> { pairs.makeIterator() }

        public subscript(key: String) -> YAMLNode? { pairs.first { $0.key.string == key }?.value }
    }

    public struct SequenceNode: Sendable, RandomAccessCollection {
        public var items: [YAMLNode]
        public var mark: Mark
        public var startIndex: Int { items.startIndex }
        public var endIndex: Int { items.endIndex }
        public subscript(i: Int) -> YAMLNode { items[i] }
    }

    case scalar(Scalar)
    case mapping(Mapping)
    case sequence(SequenceNode)

    public var mark: Mark? {
        switch self {
        case .scalar(let s): return s.mark
        case .mapping(let m): return m.mark
        case .sequence(let s): return s.mark
        }
    }

    /// The tree with the plain scalars at `marks` read as text (`!!str`): never null.
    func textTagged(_ marks: Set<Mark>) -> YAMLNode {
        switch self {
        case .scalar(var s):
            if s.isPlain, marks.contains(s.mark) { s.isPlain = false }
            return .scalar(s)
        case .mapping(var m):
            m.pairs = m.pairs.map { ($0.key.textTagged(marks), $0.value.textTagged(marks)) }
            return .mapping(m)
        case .sequence(var seq):
            seq.items = seq.items.map { $0.textTagged(marks) }
            return .sequence(seq)
        }
    }

    /// The text of a scalar; nil for collections.
    public var string: String? {
        if case .scalar(let s) = self { return s.string }
        return nil
    }

    /// Converts a Yams tree. Aliases are expanded, so the number of nodes is bounded:
    /// an alias bomb (a few lines expanding to billions of nodes) is refused, not walked.
    package static func from(_ node: Node, budget: inout Int) -> YAMLNode? {
        budget -= 1
        guard budget >= 0 else { return nil }
        let mark = node.mark.map { Mark(line: $0.line, column: $0.column) } ?? Mark(line: 1, column: 1)
        switch node {
        case .scalar(let s):
            return .scalar(Scalar(string: s.string, isPlain: s.style == .plain, mark: mark))
        case .mapping(let m):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            for (k, v) in m {
                guard let key = from(k, budget: &budget), let value = from(v, budget: &budget) else { return nil }
                pairs.append((key, value))
            }
            return .mapping(Mapping(pairs: pairs, mark: mark))
        case .sequence(let s):
            var items: [YAMLNode] = []
            for item in s {
                guard let value = from(item, budget: &budget) else { return nil }
                items.append(value)
            }
            return .sequence(SequenceNode(items: items, mark: mark))
        case .alias:
            return nil
        }
    }
}
