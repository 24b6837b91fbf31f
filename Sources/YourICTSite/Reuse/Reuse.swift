import YourICTSupport

/// What a generation takes from the previous one, around the stages' boundaries: nothing
/// in a build (`cache` nil: every stage runs, every page renders); in `serve`, a whole
/// stage whose inputs' digest did not change, and each page or group of outputs whose
/// signature did not (`OutputSignatures`, known once the Markdown stage has run).
struct Reuse: Sendable {
    let cache: GenerationCache?
    var signatures: OutputSignatures? = nil

    /// Whether anything is reused: `serve`. A build frees what it no longer reads instead.
    var isOn: Bool { cache != nil }

    /// A digest of a stage's inputs, computed only when it can be used.
    func digest(_ make: () -> Int) -> Int? {
        isOn ? make() : nil
    }

    /// The stage's value of the last generation when `key` is the same, else `make()`.
    func stage<Value>(_ memo: KeyPath<GenerationCache, StageMemo<Value>>, key: Int?, make: () -> Value) -> Value {
        guard let cache, let key else { return make() }
        return cache[keyPath: memo].value(key: key, make: make)
    }

    /// A page's bytes: the last generation's when its signature is the same, else `render()`'s.
    func page(_ job: SitePlan.PageJob, render: () -> [UInt8]?) -> [UInt8]? {
        guard let cache, let signature = signatures?.signature(for: job) else { return render() }
        if let bytes = cache.output(job.path, signature: signature) { return bytes }
        guard let bytes = render() else { return nil }
        cache.store(output: bytes, path: job.path, signature: signature)
        return bytes
    }

    /// A group of files made together: the last generation's when `signature` is the same.
    func group(_ name: String, signature: Int?, make: () -> [OutputFile]) -> [OutputFile] {
        guard let cache, let signature else { return make() }
        if let files = cache.group(name, signature: signature) { return files }
        let files = make()
        cache.store(group: files, name: name, signature: signature)
        return files
    }
}
