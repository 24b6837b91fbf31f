import Foundation
import YourICTSupport
import YourICTSite

/// The site being served: the last good build, the diagnostics of the last attempt,
/// and the browsers waiting for the next change (Server-Sent Events).
actor SiteStore {
    /// A change the browsers are told about.
    enum Event: Sendable {
        case reload(generation: Int)
        case failed(generation: Int)
    }

    /// Each file in the pieces it was made in: the large JSON documents are their
    /// entries, kept from one generation to the next, so publishing copies none of them.
    private(set) var files: [String: [[UInt8]]] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var generation = 0
    private(set) var hasSite = false
    private var subscribers: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var closed = false

    func publish(_ site: GeneratedSite, diagnostics: [Diagnostic]) {
        // In place: a save changes a few files of thousands, and the paths stay. Building a
        // new table and freeing the old took about 20 ms at 5,000 sheets (perf of `serve`).
        for file in site.files { files[file.path] = file.chunks }
        if files.count != site.files.count {
            // Some path is gone (every new path is in the table, so the counts differ).
            let paths = Set(site.files.lazy.map(\.path))
            files = files.filter { paths.contains($0.key) }
        }
        self.diagnostics = diagnostics
        hasSite = true
        generation += 1
        broadcast(.reload(generation: generation))
    }

    /// A failed build: the last good site stays online; the errors are shown over it.
    func fail(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
        generation += 1
        broadcast(.failed(generation: generation))
    }

    var hasErrors: Bool { diagnostics.hasErrors }

    /// A file's pieces, to be sent one after the other.
    func file(_ path: String) -> [[UInt8]]? { files[path] }

    func isDirectory(_ path: String) -> Bool { files[path + "/index.html"] != nil }

    func subscribe() -> AsyncStream<Event> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(4))
        if closed {
            continuation.finish()
            return stream
        }
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// The server is stopping: every event stream ends, so its response completes.
    func closeStreams() {
        closed = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    private func broadcast(_ event: Event) {
        for continuation in subscribers.values { continuation.yield(event) }
    }
}
