import Dispatch

import Foundation

extension Collection where Index == Int {
    private static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Maps on all cores, keeping the order of the input so that output stays deterministic.
    func parallelMap<T>(_ transform: (Element) -> T) -> [T] {
        let n = count
        if n < 2 { return map(transform) }
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            let base = buffer.baseAddress!
            nonisolated(unsafe) let out = base
            nonisolated(unsafe) let elements = self
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                // Chunks rather than one dispatch per element: when each element is cheap
                // (a cache hit in `serve`), the per-iteration overhead would dominate. A few
                // chunks per core still balance uneven elements.
                let chunks = Swift.min(n, Self.cores * 8)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let lower = n * chunk / chunks, upper = n * (chunk + 1) / chunks
                    for i in lower..<upper {
                        (out + i).initialize(to: transform(elements[elements.startIndex + i]))
                    }
                }
            }
            initialized = n
        }
    }
}
