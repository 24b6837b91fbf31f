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
