import Synchronization
import YourICTContent
import YourICTFormats

/// What `serve` keeps of the Markdown stage from one generation to the next: each body's
/// rendering by its file's stamp, and the last run, so that a save renders one body
/// instead of thousands. A build has none: it always starts from scratch.
package final class MarkdownReuse: Sendable {
    /// A body is identified by its file's stamp, not its text: hashing 20 MB of text
    /// (normalised to NFC by `String`'s hashing) would cost more than rendering it.
    struct Key: Hashable {
        package var path: String
        var stamp: FileStamp
        var firstLine: Int
        package var lang: String
        var sourceLang: String
        var options: Int
    }

    struct Entry {
        package var rendered: RenderedMarkdown
        var checks: [LinkResolver.PendingCheck]
        /// A hash of the HTML and headings, for output signatures.
        var digest: MarkdownStage.Digest
    }

    private struct Document: Hashable { var path: String; var lang: String }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// The current key of each (file, language), so a new version replaces the old.
        var latest: [Document: Key] = [:]
        var lastRun: (any Sendable)?
    }

    private let state = Mutex(State())

    package init() {}

    func rendered(_ key: Key) -> Entry? {
        state.withLock { $0.entries[key] }
    }

    func store(_ value: Entry, for key: Key) {
        state.withLock { state in
            let document = Document(path: key.path, lang: key.lang)
            if let old = state.latest[document], old != key { state.entries[old] = nil }
            state.latest[document] = key
            state.entries[key] = value
        }
    }

    /// The last run of the stage (`MarkdownStage.Memo`), patched by the next one.
    var lastRun: (any Sendable)? {
        get { state.withLock { $0.lastRun } }
        set { state.withLock { $0.lastRun = newValue } }
    }

    /// The last run, no longer kept here: the next run, its only holder, patches its
    /// tables in place instead of copying thousands of entries.
    func takeLastRun() -> (any Sendable)? {
        state.withLock { state in
            defer { state.lastRun = nil }
            return state.lastRun
        }
    }
}
