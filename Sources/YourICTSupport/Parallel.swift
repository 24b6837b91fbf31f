import Synchronization
import Dispatch

import Foundation

extension Collection where Index == Int, Self: Sendable {
    private static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Maps on all cores, keeping the order of the input so that output stays deterministic.
    ///
    /// The elements are split into chunks rather than dispatched one by one: when each is
    /// cheap (a cache hit in `serve`), the per-iteration overhead would dominate. A few
    /// chunks per core balance uneven elements. Chunks are runs of neighbours, which keeps
    /// each core's memory accesses together; with `spread`, a chunk takes every n-th
    /// block of four elements instead, for when a few expensive elements sit side by side among cheap
    /// ones (in `serve`, the catalogue and its filter pages re-rendered while every other
    /// page is reused) and a run would leave them all to one core.
    package func parallelMap<T: Sendable>(spread: Bool = false, _ transform: @Sendable (Element) -> T) -> [T] {
        let n = count
        if n < 2 { return map(transform) }
        let chunks = Swift.min(n, Self.cores * 8)
        let block = 4
        // Each chunk maps its elements into an array of its own, handed over once; the
        // arrays are joined in input order at the end.
        let done = Mutex<[[T]]>(Array(repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var out: [T] = []
            if spread {
                // Blocks of a few neighbours, dealt round-robin to the chunks.
                out.reserveCapacity(n / chunks + block)
                for start in stride(from: chunk * block, to: n, by: chunks * block) {
                    for i in start..<Swift.min(start + block, n) { out.append(transform(self[startIndex + i])) }
                }
            } else {
                let range = (n * chunk / chunks)..<(n * (chunk + 1) / chunks)
                out.reserveCapacity(range.count)
                for i in range { out.append(transform(self[startIndex + i])) }
            }
            done.withLock { $0[chunk] = out }
        }
        let parts = done.withLock { parts in
            let taken = parts
            parts = []
            return taken
        }
        guard spread else { return parts.flatMap { $0 } }
        // The blocks dealt back into input order.
        var result: [T] = []
        result.reserveCapacity(n)
        var next = [Int](repeating: 0, count: chunks)
        for start in stride(from: 0, to: n, by: block) {
            let chunk = (start / block) % chunks
            let length = Swift.min(block, n - start)
            result.append(contentsOf: parts[chunk][next[chunk]..<next[chunk] + length])
            next[chunk] += length
        }
        return result
    }

    /// Maps on all cores one element at a time, each to the next free core, keeping the
    /// order of the input: for a few dozen elements of very different costs (the groups
    /// of machine outputs), which chunks of neighbours would leave to one core.
    package func parallelMapEach<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let n = count
        if n < 2 { return map(transform) }
        let done = Mutex<[T?]>(Array(repeating: nil, count: n))
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let value = transform(self[startIndex + i])
            done.withLock { $0[i] = value }
        }
        return done.withLock { $0.map { $0! } }
    }
}

extension Array where Element: Sendable {
    /// The non-nil results of `transform` in order, made on all cores when `parallel`
    /// (the entries of a large document, when nothing else runs beside it).
    package func mapEntries<T: Sendable>(parallel: Bool, _ transform: @Sendable (Element) -> T?) -> [T] {
        parallel ? parallelMap(transform).compactMap { $0 } : compactMap(transform)
    }
}

/// Work run on a thread of its own, whose result is waited for once or more. A thread
/// rather than a dispatch queue: the queues' threads may all be busy with a parallel map
/// that this work is meant to run beside.
package final class BackgroundWork<T: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<T?>(nil)

    package init(_ work: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the work (never call it from async code: it blocks the thread).
    package func wait() -> T {
        done.wait()
        done.signal()
        return result.withLock { $0! }
    }
}
