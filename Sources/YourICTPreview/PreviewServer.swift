#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import YourICTSupport
import YourICTFormats
import YourICTSite

/// `yourict serve`: builds the site in memory, serves it on loopback, rebuilds when a
/// file of the site changes, and tells the browser to reload (Server-Sent Events).
/// Nothing is written to disk and nothing outside the built site can be served.
public struct PreviewServer: Sendable {
    public let source: URL
    public let host: String
    /// 0 asks the system for a free port.
    public let port: Int
    /// Try the next ports when `port` is taken.
    public let searchFreePort: Bool
    /// Called once the server listens, with its URL.
    public var onReady: @Sendable (URL) -> Void = { _ in }
    /// Called after each rebuild: what changed, how long it took, the diagnostics.
    public var onRebuild: @Sendable (RebuildReport) -> Void = { _ in }

    public struct RebuildReport: Sendable {
        public var succeeded: Bool
        public var milliseconds: Int
        public var diagnostics: [Diagnostic]
        public var pages: Int
        /// The first build since the server started.
        public var first: Bool
        /// Whether a good site is being served (this build's or an earlier one).
        public var serving: Bool
    }

    public enum ServeError: Error, CustomStringConvertible {
        case portInUse(Int)
        case badPort(Int)
        case badHost(String)
        case cannotListen(String, Int, String)

        public var description: String {
            switch self {
            case .portInUse(let p): return "port \(p) is already in use, and so are the next ones"
            case .badPort(let p): return "--port must be between 0 and 65535, found \(p)"
            case .badHost(let h): return "cannot listen on `\(h)`: it is not an address of this machine"
            case .cannotListen(let h, let p, let reason): return "cannot listen on \(h) port \(p): \(reason)"
            }
        }

        public var hint: String {
            switch self {
            case .portInUse: return "pass --port with another number, or --port 0 for any free port"
            case .badPort: return "e.g. --port 8080, or --port 0 for any free port"
            case .badHost: return "use 127.0.0.1 (the default), ::1, 0.0.0.0 to listen on every interface, or a name that resolves"
            case .cannotListen: return "ports below 1024 need privileges: pass e.g. --port 8080"
            }
        }
    }

    public init(source: URL, host: String = "127.0.0.1", port: Int = 8080, searchFreePort: Bool = true) {
        self.source = source
        self.host = host
        self.port = port
        self.searchFreePort = searchFreePort
    }

    static let livePath = "/__yourict/live.js"
    static let eventsPath = "/__yourict/events"
    static let errorsPath = "/__yourict/errors"

    /// Checks the host and port and picks the port, before anything is built: errors in
    /// the command line are reported at once.
    public func resolvePort() throws -> Int {
        guard (0...65535).contains(port) else { throw ServeError.badPort(port) }
        guard let address = LocalPort.address(host: host, port: 0) else { throw ServeError.badHost(host) }
        if port == 0 {
            // Let the system choose, then keep that number: the base URL of the pages needs it.
            return try probe(address, port: 0)
        }
        let last = searchFreePort ? min(port + 19, 65535) : port
        for candidate in port...last {
            do {
                return try probe(address, port: candidate)
            } catch BindFailure.inUse {
                continue
            }
        }
        throw ServeError.portInUse(port)
    }

    enum BindFailure: Error { case inUse }

    private func probe(_ address: (family: Int32, bytes: [UInt8]), port: Int) throws -> Int {
        switch LocalPort.bindProbe(address, port: port) {
        case .success(let bound): return bound
        case .failure(let e) where e.code == EADDRINUSE: throw BindFailure.inUse
        case .failure(let e) where e.code == EADDRNOTAVAIL || e.code == EAFNOSUPPORT: throw ServeError.badHost(host)
        case .failure(let e): throw ServeError.cannotListen(host, port, String(cString: strerror(e.code)))
        }
    }

    public func run() async throws {
        let chosen = try resolvePort()
        let store = SiteStore()
        let baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(chosen)/"
        let builder = PreviewBuilder(source: source, baseURL: baseURL, store: store, onRebuild: onRebuild)
        await builder.start()

        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await PreviewRoutes.respond(to: request, store: store)
        }
        var logger = Logger(label: "yourict.serve")
        logger.logLevel = .warning
        let onReady = self.onReady
        let host = self.host
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: chosen), serverName: "yourict"),
            onServerRunning: { channel in
                let actual = channel.localAddress?.port ?? chosen
                onReady(URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(actual)/")!)
            },
            logger: logger)
        // Ctrl-C and SIGTERM start a graceful shutdown, which waits for open responses:
        // the live-reload streams must end first, or it would wait forever. Services are
        // shut down last to first, so the stream closer goes after the server.
        let group = ServiceGroup(configuration: .init(
            services: [app, StreamCloser(store: store)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// Waits for the graceful shutdown, then ends every live-reload stream.
    struct StreamCloser: Service {
        let store: SiteStore
        func run() async throws {
            try? await gracefulShutdown()
            await store.closeStreams()
        }
    }
}

/// Rebuilds one at a time on a thread of its own (builds are long CPU work: they must not
/// hold a thread of Swift's cooperative pool, which has one thread per core); changes that
/// arrive during a build are coalesced into the next one, so the latest state always wins.
final class PreviewBuilder: Sendable {
    let source: URL
    let baseURL: String
    let store: SiteStore
    let onRebuild: @Sendable (PreviewServer.RebuildReport) -> Void
    private let session: IncrementalSession
    /// How many builds, and whether a good site is being served.
    private let progress = Mutex((builds: 0, served: false))

    init(source: URL, baseURL: String, store: SiteStore, onRebuild: @escaping @Sendable (PreviewServer.RebuildReport) -> Void) {
        self.source = source
        self.baseURL = baseURL
        self.store = store
        self.onRebuild = onRebuild
        session = IncrementalSession(tree: WatchedSourceTree(DiskSourceTree(root: source)))
    }

    /// Tells the session which files changed (absolute paths from the watcher), or that
    /// it cannot know (nil): the next build looks again at exactly those.
    func invalidate(_ changed: [String]?) {
        let root = source.standardizedFileURL.path
        guard let changed, !changed.contains(root) else { return session.invalidate(nil) }
        session.invalidate(changed.compactMap { path in
            path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : nil
        })
    }

    /// Starts the builder's thread and returns once the first build is published.
    func start() async {
        await withCheckedContinuation { (firstBuilt: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                buildOnce()
                firstBuilt.resume()
                watch()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The preview's clock moves by whole minutes, as the pages write the reference time:
    /// saves within a minute keep the same reference time, so the pages whose inputs did
    /// not change are reused (with the clock's second, every figure would change on each
    /// save and every page be rendered again: about 2 s at 5,000 sheets instead of 0.1 s).
    static func previewClock(_ t: Timestamp) -> Timestamp {
        Timestamp(millis: t.millis - ((t.millis % 60_000) + 60_000) % 60_000)
    }

    /// Builds and publishes, on the builder's thread (never in async code: it waits for
    /// the store).
    private func buildOnce() {
        let start = DispatchTime.now().uptimeNanoseconds
        let bag = DiagnosticBag()
        let settings = BuildSettings(baseURL: baseURL, now: Builder.sourceDateEpoch(), clock: Self.previewClock(Timestamp.clock()),
                                     devHead: "<script src=\"\(PreviewServer.livePath)\" defer></script>")
        let site = session.generate(settings: settings, diagnostics: bag)
        let diagnostics = bag.all.sortedForDisplay()
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        let done = DispatchSemaphore(value: 0)
        let store = self.store
        if let site, !diagnostics.hasErrors {
            Task { await store.publish(site, diagnostics: diagnostics); done.signal() }
        } else {
            Task { await store.fail(diagnostics); done.signal() }
        }
        done.wait()
        let succeeded = site != nil && !diagnostics.hasErrors
        let (builds, served) = progress.withLock { progress in
            progress = (progress.builds + 1, progress.served || succeeded)
            return progress
        }
        onRebuild(.init(succeeded: succeeded, milliseconds: ms, diagnostics: diagnostics, pages: site?.pageCount ?? 0,
                        first: builds == 1, serving: served))
    }

    /// Waits for changes and rebuilds, for as long as the process runs.
    private func watch() {
        let names = ["content", "templates", "static"]
        if let watcher = FileWatcher(root: source.standardizedFileURL, folders: names) {
            while true {
                let changed = watcher.waitForChanges()
                if changed.isEmpty { break }
                invalidate(watcher.overflowed ? nil : changed)
                buildOnce()
            }
        }
        poll(names.map { source.appendingPathComponent($0) })
    }

    /// Fallback without inotify: compares sizes and modification times twice a second.
    private func poll(_ folders: [URL]) {
        var last = snapshot(folders)
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let now = snapshot(folders)
            if now != last {
                last = now
                invalidate(nil)
                buildOnce()
            }
        }
    }

    private func snapshot(_ folders: [URL]) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for folder in folders {
            guard let e = FileManager.default.enumerator(atPath: folder.path) else { continue }
            while let rel = e.nextObject() as? String {
                var st = stat()
                if stat(folder.path + "/" + rel, &st) == 0 {
                    out[folder.path + "/" + rel] = [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
                }
            }
        }
        return out
    }
}
