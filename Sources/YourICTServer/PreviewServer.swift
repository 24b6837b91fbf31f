#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import Logging
import NIOCore
import YourICT

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
    }

    public enum ServeError: Error, CustomStringConvertible {
        case portInUse(Int)
        case badHost(String)

        public var description: String {
            switch self {
            case .portInUse(let p): return "port \(p) is already in use"
            case .badHost(let h): return "cannot listen on `\(h)`"
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

    public func run() async throws {
        let chosen = try choosePort()
        let store = SiteStore()
        let baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(chosen)/"
        let builder = PreviewBuilder(source: source, baseURL: baseURL, store: store, onRebuild: onRebuild)
        builder.buildOnce()
        builder.startWatching()

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
        try await app.runService()
    }

    /// The port to listen on: `port` if free, else (when allowed) the next free one.
    private func choosePort() throws -> Int {
        if port == 0 { return 0 }
        for candidate in port..<(searchFreePort ? port + 20 : port + 1) where Self.isFree(host: host, port: candidate) {
            return candidate
        }
        throw ServeError.portInUse(port)
    }

    static func isFree(host: String, port: Int) -> Bool {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else { return true }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}

/// Rebuilds one at a time on its own thread; changes that arrive during a build are
/// coalesced into the next one, so the latest state always wins.
final class PreviewBuilder: @unchecked Sendable {
    let source: URL
    let baseURL: String
    let store: SiteStore
    let onRebuild: @Sendable (PreviewServer.RebuildReport) -> Void
    private let session: IncrementalSession

    init(source: URL, baseURL: String, store: SiteStore, onRebuild: @escaping @Sendable (PreviewServer.RebuildReport) -> Void) {
        self.source = source
        self.baseURL = baseURL
        self.store = store
        self.onRebuild = onRebuild
        session = IncrementalSession(tree: DiskSourceTree(root: source))
    }

    func buildOnce() {
        let start = DispatchTime.now().uptimeNanoseconds
        let bag = DiagnosticBag()
        let settings = BuildSettings(baseURL: baseURL, now: Builder.sourceDateEpoch(),
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
        onRebuild(.init(succeeded: site != nil && !diagnostics.hasErrors, milliseconds: ms, diagnostics: diagnostics, pages: site?.pageCount ?? 0))
    }

    func startWatching() {
        let folders = ["content", "templates", "static"].map { source.appendingPathComponent($0) }
        let thread = Thread { [self] in
            if let watcher = FileWatcher(folders: folders) {
                while true {
                    if watcher.waitForChanges().isEmpty { break }
                    // Bursts (an editor saving several files, a git checkout) settle first.
                    Thread.sleep(forTimeInterval: 0.02)
                    self.buildOnce()
                }
            }
            self.poll(folders)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Fallback without inotify: compares sizes and modification times twice a second.
    private func poll(_ folders: [URL]) {
        var last = snapshot(folders)
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let now = snapshot(folders)
            if now != last {
                last = now
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
