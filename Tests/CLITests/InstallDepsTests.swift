import Foundation
import XCTest
import YourICTTestSupport

/// scripts/install-deps with stand-ins for dpkg-query, apt-get and sleep on its PATH: an
/// apt lock held by another process is waited for, within a bound, without real waiting.
final class InstallDepsTests: XCTestCase {
    /// Runs the script with `apt-get` failing on a held lock `busy` times, then succeeding.
    func run(busy: Int, wait: String) throws -> (status: Int32, stderr: String, calls: [String]) {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("install-deps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bin) }
        let log = bin.appendingPathComponent("calls").path
        let stubs = [
            "dpkg-query": "#!/bin/sh\nexit 1\n",
            "sudo": "#!/bin/sh\nexec \"$@\"\n",
            "sleep": "#!/bin/sh\necho \"sleep $*\" >> '\(log)'\n",
            "apt-get": """
            #!/bin/sh
            echo "apt-get $*" >> '\(log)'
            n=$(grep -c '^apt-get' '\(log)')
            if [ "$n" -le \(busy) ]; then
              echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 42 (apt-get)" >&2
              exit 100
            fi
            exit 0

            """,
        ]
        for (name, text) in stubs {
            let path = bin.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [SiteFixture.repositoryRoot.appendingPathComponent("scripts/install-deps").path]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":/usr/bin:/bin"
        environment["YOURICT_APT_WAIT"] = wait
        process.environment = environment
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let calls = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        return (process.terminationStatus, errors, calls)
    }

    func testAHeldAptLockIsWaitedFor() throws {
        let result = try run(busy: 2, wait: "300")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.calls.filter { $0.hasPrefix("apt-get") }.map { $0.split(separator: " ")[3] }, ["update", "update", "update", "install"])
        XCTAssertEqual(result.calls.filter { $0.hasPrefix("sleep") }, ["sleep 5", "sleep 5"])
        XCTAssertTrue(result.calls.allSatisfy { !$0.hasPrefix("apt-get") || $0.hasPrefix("apt-get -o DPkg::Lock::Timeout=300 ") }, "\(result.calls)")
        XCTAssertTrue(result.stderr.contains("apt is busy (another process holds its lock); waiting"), result.stderr)
    }

    func testTheWaitIsBounded() throws {
        let result = try run(busy: 1000, wait: "0")
        XCTAssertEqual(result.status, 100)
        XCTAssertEqual(result.calls, ["apt-get -o DPkg::Lock::Timeout=0 update -qq"])
        XCTAssertTrue(result.stderr.contains("E: Could not get lock /var/lib/apt/lists/lock"), result.stderr)
    }

    func testABadWaitIsRefused() throws {
        let result = try run(busy: 0, wait: "5m")
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.calls, [])
    }
}
