import Foundation

/// Remembers the last input and output of a pure computation, for the next call in the
/// same process: `serve` rebuilds after every save, and most derived values (the order
/// of the catalogue, its facets, the set of the site's paths) come out the same. Checking
/// that the input is equal is linear, and cheap when its strings are shared with the
/// last input; recomputing may not be. The output is always the function of the input
/// given, so a memo can never make a result stale, only save time.
final class LastValueMemo<Input: Equatable, Output>: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (Input, Output)?

    func value(for input: Input, _ make: (Input) -> Output) -> Output {
        lock.lock()
        if let last, last.0 == input {
            lock.unlock()
            return last.1
        }
        lock.unlock()
        let output = make(input)
        lock.lock()
        last = (input, output)
        lock.unlock()
        return output
    }
}

/// Keys of a cache kept between generations whose element names read `name#signature`:
/// when a new signature of a name is stored, the keys of its older signatures are
/// returned, to be dropped, so the cache holds one version of each element (not one per
/// edit). Names without `#` are never replaced.
struct VersionedKeys<Key: Hashable> {
    /// Name → its current element (`name#signature`), and element → its keys.
    private var current: [String: String] = [:]
    private var keys: [String: [Key]] = [:]

    /// Records `key`, whose element name is `element`; returns the keys now stale.
    mutating func insert(_ key: Key, element: String) -> [Key] {
        guard let hash = element.lastIndex(of: "#") else { return [] }
        let name = String(element[..<hash])
        var stale: [Key] = []
        if let old = current[name], old != element { stale = keys.removeValue(forKey: old) ?? [] }
        current[name] = element
        if keys[element]?.contains(key) != true { keys[element, default: []].append(key) }
        return stale
    }
}

/// A value made on first use, once, whichever thread asks first (the others wait): for
/// what a build needs only sometimes, such as the set of every path of a large site,
/// which only root-relative links (`/fr/…`) are checked against.
final class Lazy<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private var make: (() -> Value)?

    init(_ make: @escaping () -> Value) { self.make = make }

    var value: Value {
        lock.withLock {
            if let made { return made }
            let value = make!()
            made = value
            make = nil
            return value
        }
    }
}
