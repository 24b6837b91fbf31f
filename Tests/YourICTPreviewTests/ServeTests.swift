#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTSite
@testable import YourICTPreview

/// `yourict serve` for real: a server on an ephemeral loopback port, a site on disk
/// edited while it runs, and raw HTTP requests (no mock).
final class ServeTests: XCTestCase {
    func testServesReloadsSurvivesBrokenSavesAndRefusesTraversal() async throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let ready = Locked<URL?>(nil)
        let rebuilds = Locked(0)
        var server = PreviewServer(source: root, host: "127.0.0.1", port: 0)
        server.onReady = { url in ready.set(url) }
        server.onRebuild = { _ in rebuilds.update { $0 += 1 } }
        let task = Task { try await server.run() }
        defer { task.cancel() }
        let url = try await waitFor(timeout: 20) { ready.get() }
        let port = try XCTUnwrap(url.port)

        // Pages, with the live-reload script injected (and only here, never in build output).
        let page = try HTTP.get(port: port, path: "/fr/services/messagerie/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertEqual(page.headers["cache-control"], "no-store")
        XCTAssertContains(page.body, "<script src=\"/__yourict/live.js\" defer></script>")
        XCTAssertContains(page.body, "<h1>Messagerie</h1>")
        XCTAssertNotEqual(port, 0)
        XCTAssertContains(page.body, "http://127.0.0.1:\(port)/fr/services/messagerie/") // absolute links use the port really bound, even with --port 0
        XCTAssertEqual(try HTTP.get(port: port, path: "/fr/catalogue").status, 301)
        XCTAssertEqual(try HTTP.get(port: port, path: "/assets/").status, 404, "no directory listings")
        XCTAssertEqual(try HTTP.get(port: port, path: "/nope/").status, 404)
        let css = try XCTUnwrap(page.body.range(of: #"/assets/style\.[0-9a-f]+\.css"#, options: .regularExpression).map { String(page.body[$0]) })
        XCTAssertEqual(try HTTP.get(port: port, path: css).headers["content-type"], "text/css; charset=utf-8")

        // Traversal, plain and encoded: refused, never served.
        for path in ["/../content/site.yaml", "/fr/%2e%2e/%2e%2e/content/site.yaml", "/%2E%2E/Package.swift", "/fr/..%2fcontent", "/fr/%00", "/a\\b"] {
            let response = try HTTP.get(port: port, path: path)
            XCTAssertTrue([400, 404].contains(response.status), "\(path) → \(response.status)")
            XCTAssertNotContains(response.body, "base_url")
        }

        // Edit a sheet: a reload event, then the new content.
        let events = try SSEClient(port: port)
        defer { events.close() }
        _ = try events.next(timeout: 5)
        let sheet = root.appendingPathComponent("content/services/messagerie.md")
        let original = try String(contentsOf: sheet, encoding: .utf8)
        try original.replacingOccurrences(of: "title: Messagerie", with: "title: Messagerie renouvelée").write(to: sheet, atomically: true, encoding: .utf8)
        XCTAssertEqual(try events.next(timeout: 20)?.event, "reload")
        XCTAssertContains(try HTTP.get(port: port, path: "/fr/services/messagerie/").body, "<h1>Messagerie renouvelée</h1>")

        // Break it: a failure event, the errors page lists the diagnostic, the old site stays.
        try "---\ntitle: [oops\n---\n".write(to: sheet, atomically: true, encoding: .utf8)
        XCTAssertEqual(try events.next(timeout: 20)?.event, "failed")
        let errors = try HTTP.get(port: port, path: "/__yourict/errors.json")
        XCTAssertContains(errors.body, "\"file\":\"content/services/messagerie.md\"")
        XCTAssertContains(try HTTP.get(port: port, path: "/__yourict/errors").body, "content/services/messagerie.md:3:1: error: invalid YAML")
        XCTAssertContains(try HTTP.get(port: port, path: "/fr/services/messagerie/").body, "<h1>Messagerie renouvelée</h1>")

        // The next good save clears it.
        try original.write(to: sheet, atomically: true, encoding: .utf8)
        XCTAssertEqual(try events.next(timeout: 20)?.event, "reload")
        XCTAssertEqual(try HTTP.get(port: port, path: "/__yourict/errors.json").body, "[]\n")
        XCTAssertContains(try HTTP.get(port: port, path: "/fr/services/messagerie/").body, "<h1>Messagerie</h1>")

        // A new sheet appears, and goes when its file is removed (folder listings are
        // kept between rebuilds and must follow).
        let agenda = root.appendingPathComponent("content/services/agenda.md")
        try original.replacingOccurrences(of: "title: Messagerie", with: "title: Agenda partagé").write(to: agenda, atomically: true, encoding: .utf8)
        XCTAssertEqual(try events.next(timeout: 20)?.event, "reload")
        XCTAssertContains(try HTTP.get(port: port, path: "/fr/services/agenda/").body, "<h1>Agenda partagé</h1>")
        XCTAssertContains(try HTTP.get(port: port, path: "/fr/catalogue/").body, "Agenda partagé")
        try FileManager.default.removeItem(at: agenda)
        XCTAssertEqual(try events.next(timeout: 20)?.event, "reload")
        XCTAssertEqual(try HTTP.get(port: port, path: "/fr/services/agenda/").status, 404)
        // A static/ folder created while serving is published.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("static/docs"), withIntermediateDirectories: true)
        try "hello".write(to: root.appendingPathComponent("static/docs/note.txt"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try events.next(timeout: 20)?.event, "reload")
        var note = try HTTP.get(port: port, path: "/docs/note.txt")
        if note.status != 200 {
            // The folder and the file may arrive as two rebuilds.
            _ = try events.next(timeout: 20)
            note = try HTTP.get(port: port, path: "/docs/note.txt")
        }
        XCTAssertEqual(note.body, "hello")
    }

    func testBusyPortIsReportedOrTheNextIsUsed() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 1)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let busy = Int(UInt16(bigEndian: addr.sin_port))
        let source = URL(fileURLWithPath: "/nonexistent")
        XCTAssertThrowsError(try PreviewServer(source: source, port: busy, searchFreePort: false).resolvePort()) { error in
            guard case PreviewServer.ServeError.portInUse(busy) = error else { return XCTFail("\(error)") }
        }
        let next = try PreviewServer(source: source, port: busy).resolvePort()
        XCTAssertGreaterThan(next, busy)
        XCTAssertLessThan(next, busy + 20)
    }

    func testPortAndHostAreCheckedBeforeAnythingStarts() throws {
        let source = URL(fileURLWithPath: "/nonexistent")
        for port in [-1, 65536, 70000, Int.max] {
            XCTAssertThrowsError(try PreviewServer(source: source, port: port).resolvePort()) { error in
                guard case PreviewServer.ServeError.badPort(port) = error else { return XCTFail("\(port): \(error)") }
            }
        }
        // 0: the system picks a port, and that number (not 0) is what the pages are built with.
        let any = try PreviewServer(source: source, port: 0).resolvePort()
        XCTAssertTrue((1...65535).contains(any))
        // The top of the range does not overflow while looking for a free port.
        _ = try? PreviewServer(source: source, port: 65535).resolvePort()
        for host in ["no-such-host.invalid", "192.0.2.1", "300.1.1.1"] {
            XCTAssertThrowsError(try PreviewServer(source: source, host: host, port: 8080).resolvePort()) { error in
                guard case PreviewServer.ServeError.badHost(host) = error else { return XCTFail("\(host): \(error)") }
            }
        }
        XCTAssertNoThrow(try PreviewServer(source: source, host: "localhost", port: 0).resolvePort())
    }

    func testWatcherCoalescesABurstAndSeesFoldersCreatedLater() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/services"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try XCTUnwrap(FileWatcher(root: root, folders: ["content", "templates", "static"]))

        // A burst of saves 5 ms apart is one change, not five.
        let writer = Thread {
            for i in 0..<5 {
                try? "x\(i)".write(to: root.appendingPathComponent("content/services/s\(i).md"), atomically: false, encoding: .utf8)
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        writer.start()
        let burst = watcher.waitForChanges(quiet: 0.1, limit: 2)
        XCTAssertEqual(Set(burst.map { ($0 as NSString).lastPathComponent }), ["s0.md", "s1.md", "s2.md", "s3.md", "s4.md"])

        // static/ did not exist when the watch started: creating it and a file in it is seen.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("static"), withIntermediateDirectories: true)
        XCTAssertTrue(watcher.waitForChanges(quiet: 0.1, limit: 2).contains(root.path + "/static"))
        try "body{}".write(to: root.appendingPathComponent("static/extra.css"), atomically: false, encoding: .utf8)
        XCTAssertTrue(watcher.waitForChanges(quiet: 0.1, limit: 2).contains(root.path + "/static/extra.css"))

        // Files beside the site folders (public/, .git/) are not changes of the site; the
        // next change reported is the sheet below, not them.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("public"), withIntermediateDirectories: true)
        try "x".write(to: root.appendingPathComponent("public/index.html"), atomically: false, encoding: .utf8)
        try "y".write(to: root.appendingPathComponent("content/services/s0.md"), atomically: false, encoding: .utf8)
        XCTAssertEqual(Set(watcher.waitForChanges(quiet: 0.1, limit: 2)), [root.path + "/content/services/s0.md"])
    }

    func testStoppingEndsTheLiveReloadStreams() async throws {
        let store = SiteStore()
        let stream = await store.subscribe()
        let ended = Task { () -> Int in
            var count = 0
            for await _ in stream { count += 1 }
            return count
        }
        await store.fail([])
        await store.closeStreams()
        let count = await ended.value
        XCTAssertEqual(count, 1, "the stream delivered the event, then ended")
        // A browser connecting while the server stops gets a stream that ends at once.
        var late = 0
        for await _ in await store.subscribe() { late += 1 }
        XCTAssertEqual(late, 0)
    }

    func testSafePath() {
        XCTAssertEqual(SafePath.resolve("/fr/catalogue/"), "fr/catalogue/")
        XCTAssertEqual(SafePath.resolve("/fr/h%C3%A9/"), "fr/hé/")
        XCTAssertNil(SafePath.resolve("/fr/../x"))
        XCTAssertNil(SafePath.resolve("/fr/%2e%2e/x"))
        XCTAssertNil(SafePath.resolve("/fr/%2E%2E%2Fx/.."))
        XCTAssertNil(SafePath.resolve("relative"))
        XCTAssertNil(SafePath.resolve("/x%00y"))
    }

    private func waitFor<T>(timeout: Double, _ probe: () -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = probe() { return value }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw Timeout(seconds: timeout)
    }
}

struct Timeout: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "nothing happened within \(seconds) s" }
}

/// A value shared with the server's callbacks.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func update(_ f: (inout T) -> Void) { lock.lock(); f(&value); lock.unlock() }
}

final class WatchedSourceTreeTests: XCTestCase {
    func testKeepsStampsAndListingsUntilTold() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-watched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/services"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let a = root.appendingPathComponent("content/services/a.md")
        try "one".write(to: a, atomically: true, encoding: .utf8)
        let tree = WatchedSourceTree(DiskSourceTree(root: root))
        let first = try XCTUnwrap(tree.stamp("content/services/a.md"))
        XCTAssertEqual(tree.files(in: "content/services"), ["content/services/a.md"])

        // Changed on disk, not reported: the kept values stand (that is the point).
        try "three".write(to: a, atomically: true, encoding: .utf8)
        try "b".write(to: root.appendingPathComponent("content/services/b.md"), atomically: true, encoding: .utf8)
        XCTAssertEqual(tree.stamp("content/services/a.md"), first)
        XCTAssertEqual(tree.files(in: "content/services"), ["content/services/a.md"])

        // Reported: seen again, the file's stamp and its folder's listing.
        tree.invalidate(["content/services/a.md", "content/services/b.md"])
        XCTAssertNotEqual(tree.stamp("content/services/a.md"), first)
        XCTAssertEqual(tree.files(in: "content/services"), ["content/services/a.md", "content/services/b.md"])
        XCTAssertEqual(tree.allFiles(under: "content"), ["content/services/a.md", "content/services/b.md"])

        // A file saved in place, or an editor's hidden swap file: the listings stand (the
        // unreported c.md proves they were not read again); a file deleted: they go.
        try "four".write(to: a, atomically: true, encoding: .utf8)
        try "c".write(to: root.appendingPathComponent("content/services/c.md"), atomically: true, encoding: .utf8)
        tree.invalidate(["content/services/a.md", "content/services/.a.md.swp"])
        XCTAssertEqual(tree.files(in: "content/services"), ["content/services/a.md", "content/services/b.md"])
        XCTAssertEqual(tree.allFiles(under: "content"), ["content/services/a.md", "content/services/b.md"])
        try FileManager.default.removeItem(at: root.appendingPathComponent("content/services/b.md"))
        tree.invalidate(["content/services/b.md"])
        XCTAssertEqual(tree.files(in: "content/services"), ["content/services/a.md", "content/services/c.md"])
        XCTAssertEqual(tree.allFiles(under: "content"), ["content/services/a.md", "content/services/c.md"])

        // A folder removed: everything under it.
        try FileManager.default.removeItem(at: root.appendingPathComponent("content/services"))
        tree.invalidate(["content/services"])
        XCTAssertNil(tree.stamp("content/services/a.md"))
        XCTAssertEqual(tree.files(in: "content/services"), [])
        XCTAssertEqual(tree.allFiles(under: "content"), [])

        // Unknown changes: everything.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/pages"), withIntermediateDirectories: true)
        try "p".write(to: root.appendingPathComponent("content/pages/p.md"), atomically: true, encoding: .utf8)
        XCTAssertEqual(tree.allFiles(under: "content"), [])
        tree.invalidate(nil)
        XCTAssertEqual(tree.allFiles(under: "content"), ["content/pages/p.md"])
    }

    /// A link's stamp is its target's, and the watcher reports the target when it changes,
    /// never the link (found by a helper's audit of `serve`: a page made from a linked file
    /// stayed old until a restart).
    func testALinksStampIsForgottenWhenItsTargetChanges() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/pages"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("docs/lien.md")
        try "Version 1.".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("content/pages/lien.md").path, withDestinationPath: "../../docs/lien.md")
        let tree = WatchedSourceTree(DiskSourceTree(root: root))
        XCTAssertTrue(tree.isSymbolicLink("content/pages/lien.md"))
        XCTAssertFalse(tree.isSymbolicLink("docs/lien.md"))
        let first = try XCTUnwrap(tree.snapshot().stamp("content/pages/lien.md"))
        try "Version 2, longer.".write(to: target, atomically: true, encoding: .utf8)
        tree.invalidate(["docs/lien.md"])
        XCTAssertNotEqual(tree.snapshot().stamp("content/pages/lien.md"), first)
    }

    /// A generation reads a snapshot (no lock per stamp): what the tree knew when it was
    /// taken, and what it did not know asked of the tree and kept there for the next.
    func testASnapshotReadsWhatTheTreeKnewAndKeepsWhatItLearns() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/services"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let a = root.appendingPathComponent("content/services/a.md"), b = root.appendingPathComponent("content/services/b.md")
        try "one".write(to: a, atomically: true, encoding: .utf8)
        try "b".write(to: b, atomically: true, encoding: .utf8)
        let tree = WatchedSourceTree(DiskSourceTree(root: root))
        let first = try XCTUnwrap(tree.stamp("content/services/a.md"))
        XCTAssertEqual(tree.files(in: "content/services"), ["content/services/a.md", "content/services/b.md"])

        let snapshot = tree.snapshot()
        try "three!".write(to: a, atomically: true, encoding: .utf8)
        XCTAssertEqual(snapshot.stamp("content/services/a.md"), first)
        XCTAssertEqual(snapshot.files(in: "content/services"), ["content/services/a.md", "content/services/b.md"])
        // Not known when taken: asked of the tree, which keeps it even after b changes.
        let bStamp = try XCTUnwrap(snapshot.stamp("content/services/b.md"))
        try "bbbbbb".write(to: b, atomically: true, encoding: .utf8)
        XCTAssertEqual(tree.stamp("content/services/b.md"), bStamp)

        // The next generation's snapshot, after the watcher's report, sees the new file.
        tree.invalidate(["content/services/a.md"])
        let next = tree.snapshot()
        XCTAssertNotEqual(next.stamp("content/services/a.md"), first)
        XCTAssertEqual(try next.read("content/services/a.md"), Array("three!".utf8))
        XCTAssertEqual(snapshot.stamp("content/services/a.md"), first, "a snapshot taken before stays as it was")
    }
}

/// The preview follows the clock by whole minutes, so that saves within a minute reuse
/// what did not change (see `PreviewBuilder.previewClock`).
final class PreviewClockTests: XCTestCase {
    func testTheClockMovesByWholeMinutes() throws {
        let t = try XCTUnwrap(Timestamp(rfc3339: "2026-12-03T04:47:36Z"))
        XCTAssertEqual(PreviewBuilder.previewClock(t), Timestamp(rfc3339: "2026-12-03T04:47:00Z"))
        XCTAssertEqual(PreviewBuilder.previewClock(Timestamp(millis: t.millis + 23_999)), Timestamp(rfc3339: "2026-12-03T04:47:00Z"))
        XCTAssertEqual(PreviewBuilder.previewClock(Timestamp(millis: t.millis + 24_000)), Timestamp(rfc3339: "2026-12-03T04:48:00Z"))
        XCTAssertEqual(PreviewBuilder.previewClock(Timestamp(millis: -1)), Timestamp(millis: -60_000))
    }

    /// Two saves a few seconds apart: with the clock's seconds every page with figures is
    /// rendered again; with the preview's clock none is.
    func testSavesWithinAMinuteReuseThePages() throws {
        let fixture = SiteFixture()
        let first = try XCTUnwrap(Timestamp(rfc3339: "2026-11-20T10:15:05Z"))
        let second = Timestamp(millis: first.millis + 7_000)
        func rendered(_ clocks: [Timestamp]) -> Int {
            let cache = GenerationCache()
            for clock in clocks {
                _ = SiteGenerator.generate(tree: fixture.tree, settings: BuildSettings(clock: clock), diagnostics: DiagnosticBag(), cache: cache)
            }
            return cache.lastRendered
        }
        XCTAssertGreaterThan(rendered([first, second]), 10, "the clock's seconds change every figure")
        XCTAssertEqual(rendered([PreviewBuilder.previewClock(first), PreviewBuilder.previewClock(second)]), 0)
    }
}
