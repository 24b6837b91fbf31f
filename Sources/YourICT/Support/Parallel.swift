import Dispatch

extension Collection where Index == Int {
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
                DispatchQueue.concurrentPerform(iterations: n) { i in
                    (out + i).initialize(to: transform(elements[elements.startIndex + i]))
                }
            }
            initialized = n
        }
    }
}
