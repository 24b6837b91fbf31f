import Dispatch

import Foundation

extension Collection where Index == Int {
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
    package func parallelMap<T>(spread: Bool = false, _ transform: (Element) -> T) -> [T] {
        let n = count
        if n < 2 { return map(transform) }
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            let base = buffer.baseAddress!
            nonisolated(unsafe) let out = base
            nonisolated(unsafe) let elements = self
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                let chunks = Swift.min(n, Self.cores * 8)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    if spread {
                        // Blocks of a few neighbours, so that two cores do not write
                        // into the same cache line of the result for every element.
                        let block = 4
                        for start in stride(from: chunk * block, to: n, by: chunks * block) {
                            for i in start..<Swift.min(start + block, n) {
                                (out + i).initialize(to: transform(elements[elements.startIndex + i]))
                            }
                        }
                    } else {
                        for i in (n * chunk / chunks)..<(n * (chunk + 1) / chunks) {
                            (out + i).initialize(to: transform(elements[elements.startIndex + i]))
                        }
                    }
                }
            }
            initialized = n
        }
    }
}

extension Array {
    /// The non-nil results of `transform` in order, made on all cores when `parallel`
    /// (the entries of a large document, when nothing else runs beside it).
    package func mapEntries<T>(parallel: Bool, _ transform: (Element) -> T?) -> [T] {
        parallel ? parallelMap(transform).compactMap { $0 } : compactMap(transform)
    }
}

/// Work run on a thread of its own, whose result is waited for once or more. A thread
/// rather than a dispatch queue: the queues' threads may all be busy with a parallel map
/// that this work is meant to run beside.
package final class BackgroundWork<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: T?

    package init(_ work: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            let value = work()
            lock.withLock { result = value }
            done.signal()
        }
        thread.start()
    }

    package func wait() -> T {
        done.wait()
        done.signal()
        return lock.withLock { result! }
    }
}
