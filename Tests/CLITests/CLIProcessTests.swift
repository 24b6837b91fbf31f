#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import YourICTTestSupport

/// The `yourict` executable itself, as a user runs it: exit statuses, messages, signals.
final class CLIProcessTests: XCTestCase {
    /// `.build/<config>/yourict`, built with the tests (`swift build --build-tests` or `swift test`).
    static var binary: URL {
        var dir = Bundle(for: CLIProcessTests.self).bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("yourict")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SOURCE_DATE_EPOCH"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw Failure("\(Self.binary.path) is missing: build it with `swift build --build-tests` first")
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    func testServeRefusesBadPortHostAndEpochWithStatus2() throws {
        let site = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: site) }
        for (arguments, message) in [
            (["--port", "70000"], "error: --port must be between 0 and 65535, found 70000"),
            (["--port=-1"], "error: --port must be between 0 and 65535, found -1"),
            (["--host", "no-such-host.invalid"], "error: cannot listen on `no-such-host.invalid`"),
        ] {
            let r = try run(["serve", "--source", site.path] + arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("hint: "), r.stderr)
            XCTAssertFalse(r.stdout.contains("Built"), "nothing is built before the command line is checked")
        }
        let r = try run(["serve", "--source", site.path, "--port", "0"], environment: ["SOURCE_DATE_EPOCH": "yesterday"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("SOURCE_DATE_EPOCH `yesterday` is not a whole number of seconds"), r.stderr)
    }

    func testNewAndInitRefusalsExitWith2() throws {
        let site = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: site) }
        let again = try run(["new", "service", "messagerie", "--source", site.path])
        XCTAssertEqual(again.status, 2, again.stderr)
        XCTAssertTrue(again.stderr.contains("error: "), again.stderr)
        let initInto = try run(["init", site.path])
        XCTAssertEqual(initInto.status, 2, initInto.stderr)
    }

    /// A mistyped `--source` is named as such, before anything is read, with status 2.
    func testASourceThatIsNoSiteIsRefusedByName() throws {
        let missing = try run(["build", "--source", "/nonexistent/yourict-site"])
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.hasPrefix("error: the source folder `/nonexistent/yourict-site` does not exist\n"), missing.stderr)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        for command in ["check", "serve"] {
            let result = try run([command, "--source", empty.path])
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertTrue(result.stderr.contains("holds no content/ folder: it is not a yourict site"), result.stderr)
        }
    }

    /// Ctrl-C stops the server promptly even while a browser keeps the live-reload stream open.
    func testServeStopsOnSIGINTWithABrowserConnected() throws {
        let site = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: site) }
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--source", site.path, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            // Never leave a server behind, even when the test fails.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        // "Serving http://127.0.0.1:PORT/ — press Ctrl-C to stop"
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        var port: Int?
        while port == nil, Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
            if let r = printed.range(of: #"Serving http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) {
                port = Int(printed[r].dropFirst("Serving http://127.0.0.1:".count).dropLast())
            }
        }
        let bound = try XCTUnwrap(port, "no Serving line in: \(printed)")
        XCTAssertTrue(printed.contains("Built "), printed)
        XCTAssertFalse(printed.contains("Rebuilt"), "the first build is not a rebuild: \(printed)")
        XCTAssertFalse(printed.contains("Port 0 is in use"), printed)

        let events = try SSEClient(port: bound)
        defer { events.close() }
        XCTAssertEqual(try events.next(timeout: 10)?.event, "hello")

        // The reader of its output is gone (`yourict serve | head -2`, a log shipper
        // stopped): the line it prints on stopping is lost, the process does not crash.
        try out.fileHandleForReading.close()
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(process.isRunning, "serve still runs 10 s after Ctrl-C with a stream open")
        if !process.isRunning {
            XCTAssertEqual(process.terminationStatus, 0)
            XCTAssertEqual(process.terminationReason, .exit)
        }
    }
}
