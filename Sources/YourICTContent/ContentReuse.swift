import Synchronization
import YourICTFormats
import YourICTSupport

/// What `serve` keeps of the content stage from one generation to the next: parsed files
/// by path and stamp, decoded files by key, and the last merge of each kind, so that a save
/// re-reads one file instead of thousands. A build has none: it always starts from scratch.
package final class ContentReuse: Sendable {
    struct ParsedFile {
        var stamp: FileStamp
        var languages: [String]
        var result: (ContentFile, YAMLNode)?
        var diagnostics: [Diagnostic]
    }

    private struct State {
        var parsed: [String: ParsedFile] = [:]
        var decoded: [String: (key: Int, value: (any Sendable)?, diagnostics: [Diagnostic])] = [:]
        var merges: [String: any Sendable] = [:]
        var originals: [String: (paths: [String], ids: Set<String>)] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    func parsedFile(_ path: String, stamp: FileStamp, languages: [String]) -> ParsedFile? {
        state.withLock { state in
            guard let hit = state.parsed[path], hit.stamp == stamp, hit.languages == languages else { return nil }
            return hit
        }
    }

    func store(_ file: ParsedFile, for path: String) {
        state.withLock { $0.parsed[path] = file }
    }

    func decoded(_ path: String, key: Int) -> (value: (any Sendable)?, diagnostics: [Diagnostic])? {
        state.withLock { state in
            guard let hit = state.decoded[path], hit.key == key else { return nil }
            return (hit.value, hit.diagnostics)
        }
    }

    func store(decoded value: (any Sendable)?, diagnostics: [Diagnostic], path: String, key: Int) {
        state.withLock { $0.decoded[path] = (key, value, diagnostics) }
    }

    /// The last merge of each kind of document, patched by the next one.
    func lastMerge(_ kind: String) -> (any Sendable)? {
        state.withLock { $0.merges[kind] }
    }

    func store(merge: any Sendable, kind: String) {
        state.withLock { $0.merges[kind] = merge }
    }

    /// The ids of a folder's default-language files, while its listing is the same.
    func originals(_ folder: String, paths: [String], make: ([String]) -> Set<String>) -> Set<String> {
        if let hit = state.withLock({ $0.originals[folder] }), hit.paths == paths { return hit.ids }
        let ids = make(paths)
        state.withLock { $0.originals[folder] = (paths, ids) }
        return ids
    }
}
