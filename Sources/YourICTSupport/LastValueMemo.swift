import Synchronization
import Foundation

/// Remembers the last input and output of a pure computation, for the next call in the
/// same process: `serve` rebuilds after every save, and most derived values (the order
/// of the catalogue, its facets, the set of the site's paths) come out the same. Checking
/// that the input is equal is linear, and cheap when its strings are shared with the
/// last input; recomputing may not be. The output is always the function of the input
/// given, so a memo can never make a result stale, only save time.
package final class LastValueMemo<Input: Equatable & Sendable, Output: Sendable>: Sendable {
    private let last = Mutex<(input: Input, output: Output)?>(nil)

    package init() {}

    package func value(for input: Input, _ make: (Input) -> Output) -> Output {
        if let last = last.withLock({ $0 }), last.input == input { return last.output }
        let output = make(input)
        last.withLock { $0 = (input, output) }
        return output
    }
}

/// Keys of a cache kept between generations whose element names read `name#signature`:
/// when a new signature of a name is stored, the keys of its older signatures are
/// returned, to be dropped, so the cache holds one version of each element (not one per
/// edit). Names without `#` are never replaced.
package struct VersionedKeys<Key: Hashable> {
    /// Name → its current element (`name#signature`), and element → its keys.
    private var current: [String: String] = [:]
    private var keys: [String: [Key]] = [:]

    package init() {}

    /// Records `key`, whose element name is `element`; returns the keys now stale.
    package mutating func insert(_ key: Key, element: String) -> [Key] {
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
package final class Lazy<Value: Sendable>: Sendable {
    private let state: Mutex<(made: Value?, make: (@Sendable () -> Value)?)>

    package init(_ make: @escaping @Sendable () -> Value) { state = Mutex((nil, make)) }

    package var value: Value {
        state.withLock { state in
            if let made = state.made { return made }
            let value = state.make!()
            state = (value, nil)
            return value
        }
    }
}

/// The last result of a stage and a digest of what it read: `serve` runs the stage again
/// only when that digest changes.
package final class StageMemo<Value: Sendable>: Sendable {
    private let last = Mutex<(key: Int, value: Value)?>(nil)

    package init() {}

    package func value(key: Int, make: () -> Value) -> Value {
        if let hit = last.withLock({ $0 }), hit.key == key { return hit.value }
        let value = make()
        last.withLock { $0 = (key, value) }
        return value
    }
}
