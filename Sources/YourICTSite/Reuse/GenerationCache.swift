import Synchronization
import YourICTContent
import YourICTFormats
import YourICTMarkdown
import YourICTMonitoring
import YourICTSupport

/// What one generation can reuse from the previous one in the same process (`serve`):
/// parsed content files, rendered Markdown, the monitoring report, and every output
/// whose inputs have the same signature. A full `build` never uses it: it is always
/// correct from scratch.
public final class GenerationCache: Sendable {
    /// The content and Markdown stages' own memories.
    let content = ContentReuse()
    let markdown = MarkdownReuse()
    /// Whole stages, by a digest of what they read.
    let monitoring = StageMemo<(loader: MonitoringLoader, diagnostics: [Diagnostic])>()
    /// The same files read as if they ended at the reference time (when some did not).
    let monitoringUntilReference = StageMemo<MonitoringLoader>()
    let theme = StageMemo<(theme: Theme?, diagnostics: [Diagnostic])>()
    let status = StageMemo<StatusReport>()
    /// The plan's memos: pages, paths, facets.
    let plan = SitePlan.Memory()
    /// Service entries and rendered fragments of lists, kept between generations.
    let views = ViewBuilder.Memo()

    private struct State {
        var outputs: [String: (signature: Int, bytes: [UInt8])] = [:]
        /// Paths this generation asked for; outputs no generation asks for any more (a
        /// page removed) are dropped at the end of a good one.
        var outputsTouched: [String] = []
        var groups: [String: (signature: Int, files: [OutputFile])] = [:]
        var nextGroups: [String: (signature: Int, files: [OutputFile])] = [:]
        var fragments: [Int: [UInt8]] = [:]
        var fragmentsUsed = Set<Int>()
        var lastRendered = 0
        var lastRenderedNames: [String] = []
        var lastReused = 0
    }

    private let state = Mutex(State())

    /// How many outputs the last generation rendered and reused: for tests and logs.
    public var lastRendered: Int { state.withLock { $0.lastRendered } }
    /// The outputs the last generation rendered (pages, and machine-output groups by name).
    public var lastRenderedNames: [String] { state.withLock { $0.lastRenderedNames } }
    public var lastReused: Int { state.withLock { $0.lastReused } }

    public init() {}

    /// Entries of a large JSON document, one per key: those kept when every key has one,
    /// else those `make` makes (one per key, in order), kept for the next generation.
    func fragments(_ keys: [Int], make: () -> [[UInt8]]) -> [[UInt8]] {
        let hits: [[UInt8]]? = state.withLock { state in
            var hits: [[UInt8]] = []
            hits.reserveCapacity(keys.count)
            for key in keys {
                guard let hit = state.fragments[key] else { return nil }
                hits.append(hit)
            }
            state.fragmentsUsed.formUnion(keys)
            return hits
        }
        if let hits { return hits }
        let made = make()
        precondition(made.count == keys.count, "one entry per key")
        state.withLock { state in
            for (key, bytes) in zip(keys, made) { state.fragments[key] = bytes }
            state.fragmentsUsed.formUnion(keys)
        }
        return made
    }

    /// The previous output at `path` if it was made from the same inputs.
    func output(_ path: String, signature: Int) -> [UInt8]? {
        state.withLock { state in
            guard let previous = state.outputs[path], previous.signature == signature else { return nil }
            state.outputsTouched.append(path)
            state.lastReused += 1
            return previous.bytes
        }
    }

    func store(output bytes: [UInt8], path: String, signature: Int) {
        state.withLock { state in
            state.outputs[path] = (signature, bytes)
            state.outputsTouched.append(path)
            state.lastRendered += 1
            state.lastRenderedNames.append(path)
        }
    }

    func group(_ name: String, signature: Int) -> [OutputFile]? {
        state.withLock { state in
            guard let previous = state.groups[name], previous.signature == signature else { return nil }
            state.nextGroups[name] = previous
            state.lastReused += previous.files.count
            return previous.files
        }
    }

    func store(group files: [OutputFile], name: String, signature: Int) {
        state.withLock { state in
            state.nextGroups[name] = (signature, files)
            state.lastRendered += files.count
            state.lastRenderedNames.append(name)
        }
    }

    func beginGeneration() {
        state.withLock { state in
            state.lastRendered = 0
            state.lastReused = 0
            state.lastRenderedNames = []
            state.outputsTouched = []
            state.outputsTouched.reserveCapacity(state.outputs.count)
            state.nextGroups = [:]
            state.fragmentsUsed = []
        }
    }

    /// Keeps what this generation used (so the cache does not grow with old versions).
    func endGeneration(succeeded: Bool) {
        state.withLock { state in
            if succeeded {
                if state.outputs.count > state.outputsTouched.count {
                    let touched = Set(state.outputsTouched)
                    state.outputs = state.outputs.filter { touched.contains($0.key) }
                }
                state.groups = state.nextGroups
                // Entries of groups not rebuilt this time stay; old versions are dropped
                // once they outnumber the live ones.
                if state.fragments.count > 2 * state.fragmentsUsed.count + 50_000 {
                    let used = state.fragmentsUsed
                    state.fragments = state.fragments.filter { used.contains($0.key) }
                }
            }
            state.outputsTouched = []
            state.nextGroups = [:]
            state.fragmentsUsed = []
        }
    }
}
