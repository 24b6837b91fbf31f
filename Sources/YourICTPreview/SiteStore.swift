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

    /// The files of the last good build, each in the pieces it was made in (the large JSON
    /// documents are their entries, kept from one generation to the next, so publishing
    /// copies none of them), and where each path is among them.
    private var files: [OutputFile] = []
    private var index: [String: Int] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var generation = 0
    private(set) var hasSite = false
    private var subscribers: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var closed = false

    func publish(_ site: GeneratedSite, diagnostics: [Diagnostic]) {
        // A save changes a few files of thousands and keeps their paths (and order): the
        // index is made again only when the paths changed. Filling a new 25,000-path table
        // on each save took about 12 ms at 5,000 sheets (perf of `serve`).
        if !site.files.elementsEqual(files, by: { $0.path == $1.path }) {
            index = Dictionary(site.files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        }
        // The previous files are let go after the browsers are told, not before.
        let previous = files
        files = site.files
        self.diagnostics = diagnostics
        hasSite = true
        generation += 1
        broadcast(.reload(generation: generation))
        withExtendedLifetime(previous) {}
    }

    /// A failed build: the last good site stays online; the errors are shown over it.
    func fail(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
        generation += 1
        broadcast(.failed(generation: generation))
    }

    var hasErrors: Bool { diagnostics.hasErrors }

    /// A file's pieces, to be sent one after the other.
    func file(_ path: String) -> [[UInt8]]? { index[path].map { files[$0].chunks } }

    func isDirectory(_ path: String) -> Bool { index[path + "/index.html"] != nil }

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
