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
                // (a cache hit in `serve`), the per-iteration overhead would dominate. Each
                // chunk takes every `chunks`-th element rather than a run of neighbours, so
                // that expensive neighbours (the catalogue and its filter pages, when all
                // else is cached) are spread over all cores.
                let chunks = Swift.min(n, Self.cores * 8)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for i in stride(from: chunk, to: n, by: chunks) {
                        (out + i).initialize(to: transform(elements[elements.startIndex + i]))
                    }
                }
            }
            initialized = n
        }
    }
}
