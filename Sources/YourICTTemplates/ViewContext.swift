import YourICTFormats

/// A template context: named values (strings, booleans, numbers, nested contexts and
/// arrays of contexts), written like a dictionary.
///
/// Not a `[String: Any]`: a Swift dictionary hashes a name again for every lookup
/// (its seed differs per dictionary), and a page's render looks names up tens of
/// thousands of times, most of them in vain while the context stack is searched. Here
/// every key is hashed once with a fixed function (`hash(_:)`), and so is every name of
/// a compiled template, when the theme is compiled: a lookup compares integers along a
/// short list, or probes an index in the few large contexts (the translated strings).
/// Values are stored as `TemplateValue`s, classified once when set, so that rendering
/// switches over a tag instead of casting an `Any`.
public struct ViewContext: ExpressibleByDictionaryLiteral, CustomStringConvertible {
    struct Entry {
        var value: TemplateValue
        let hash: Int
        let key: String
    }

    private(set) var entries: [Entry]
    /// Open addressing over `entries` (position + 1; 0 is free) once there are more
    /// than `indexedFrom` of them; empty before.
    private(set) var index: [Int32] = []

    static let indexedFrom = 32

    public init() { entries = [] }

    public init(dictionaryLiteral elements: (String, Any)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (key, value) in elements {
            // A literal's keys are distinct (as a dictionary literal's must be).
            let hash = Self.hash(key)
            assert(position(key, hash: hash) == nil, "duplicate key \(key) in a context literal")
            guard let value = TemplateValue(value) else { continue }
            entries.append(Entry(value: value, hash: hash, key: key))
        }
        if entries.count > Self.indexedFrom { rebuildIndex() }
    }

    /// A table of strings (the translations) as a context.
    public init(_ strings: [String: String]) {
        entries = []
        entries.reserveCapacity(strings.count)
        for (key, value) in strings.sorted(by: { $0.key < $1.key }) { self[key] = value }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> Any? {
        get { value(key, hash: Self.hash(key))?.any }
        set {
            let hash = Self.hash(key)
            let stored = newValue.flatMap(TemplateValue.init)
            if let at = position(key, hash: hash) {
                if let stored {
                    entries[at].value = stored
                } else {
                    entries.remove(at: at)
                    if !index.isEmpty { rebuildIndex() }
                }
            } else if let stored {
                entries.append(Entry(value: stored, hash: hash, key: key))
                if entries.count > Self.indexedFrom {
                    if entries.count * 2 > index.count { rebuildIndex() } else { insertInIndex(entries.count - 1) }
                }
            }
        }
    }

    /// The value of `name`, as a template would read it (`{{name}}`).
    public func child(named name: String) -> Any? { self[name] }

    /// As a dictionary prints (`{{.}}` of a whole context), keys in their order.
    public var description: String {
        entries.isEmpty ? "[:]" : "[" + entries.map { String(reflecting: $0.key) + ": " + String(reflecting: $0.value.any) }.joined(separator: ", ") + "]"
    }

    /// The value of `key`, whose `hash(_:)` is `hash`.
    @inline(__always)
    func value(_ key: String, hash: Int) -> TemplateValue? {
        guard let at = position(key, hash: hash) else { return nil }
        return entries[at].value
    }

    /// Whether `key` (whose `hash(_:)` is `hash`) has a value.
    @inline(__always)
    func contains(_ key: String, hash: Int) -> Bool { position(key, hash: hash) != nil }

    @inline(__always)
    private func position(_ key: String, hash: Int) -> Int? {
        if index.isEmpty {
            for i in entries.indices where entries[i].hash == hash && entries[i].key == key { return i }
            return nil
        }
        let mask = index.count - 1
        var slot = hash & mask
        while true {
            let at = Int(index[slot])
            if at == 0 { return nil }
            if entries[at - 1].hash == hash && entries[at - 1].key == key { return at - 1 }
            slot = (slot + 1) & mask
        }
    }

    private mutating func rebuildIndex() {
        guard entries.count > Self.indexedFrom else { index = []; return }
        var size = 64
        while size < entries.count * 4 { size <<= 1 }
        index = [Int32](repeating: 0, count: size)
        for i in entries.indices { insertInIndex(i) }
    }

    private mutating func insertInIndex(_ position: Int) {
        let mask = index.count - 1
        var slot = entries[position].hash & mask
        while index[slot] != 0 { slot = (slot + 1) & mask }
        index[slot] = Int32(position + 1)
    }

    /// `TableHash` of the UTF-8 bytes: fixed, so that template names are hashed once.
    @inline(__always)
    static func hash(_ key: String) -> Int { TableHash.of(key) }
}

/// What every page of one language shares: built once per language and referenced
/// by each page's context, never copied into it.
package struct LanguageContext {
    package let lang: String
    package let strings: [String: String]
    package let format: LocaleFormat
    package let shared: ViewContext

    package init(lang: String, strings: [String: String], format: LocaleFormat, shared: ViewContext) {
        self.lang = lang
        self.strings = strings
        self.format = format
        self.shared = shared
    }
}

extension Optional where Wrapped == String {
    /// Absent or empty text is absent, so `{{#x}}…{{/x}}` hides empty fields.
    package var nonEmpty: String? {
        guard let s = self, !s.isEmpty else { return nil }
        return s
    }
}

extension String {
    package var nonEmpty: String? { isEmpty ? nil : self }
}
