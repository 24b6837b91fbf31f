import ArgumentParser
import Foundation

/// Save-to-reload time of `yourict serve` on a synthetic site: the real binary, a real
/// file edit, and the time until the browser's event stream announces the reload.
struct ServeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Measure save-to-reload latency of yourict serve on a synthetic site.")

    @Option(help: "Service sheets.") var services = 5000
    @Option(help: "Edits per kind (body edit, title edit).") var edits = 10
    @Option(help: "Working folder (default: a temporary folder).") var directory: String?
    @Option(help: "The yourict binary (default: next to this one).") var yourict: String?

    func run() throws {
        let base = directory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("yourict-bench-serve")
        let siteRoot = base.appendingPathComponent("site")
        let binary = yourict ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yourict").path
        let templates = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("templates")
        print("Generating \(services) sheets …")
        try SyntheticSite(services: services, languages: 1, series: 0, days: 90, step: 60).write(to: siteRoot, templates: templates)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--source", siteRoot.path, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        var port = 0
        var text = ""
        let started = Date()
        while port == 0, Date().timeIntervalSince(started) < 300 {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!.dropLast()) ?? 0
            }
        }
        guard port > 0 else { throw ValidationError("yourict serve did not start: \(text)") }
        print(text.split(separator: "\n").first.map(String.init) ?? "", "— serving on port \(port)")
        let events = try EventStream(port: port)
        guard events.next(timeout: 60) == "hello" else { throw ValidationError("no event stream") }

        let sheet = siteRoot.appendingPathComponent("content/services/service-42.md")
        var original = try String(contentsOf: sheet, encoding: .utf8)
        func measure(_ label: String, _ change: (Int) -> String) throws {
            var times: [Double] = []
            var echoes = 0
            for n in 0..<edits {
                let start = DispatchTime.now().uptimeNanoseconds
                try change(n).write(to: sheet, atomically: false, encoding: .utf8)
                guard events.next(timeout: 30) == "reload" else { throw ValidationError("no reload after an edit") }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                // A save seen as two changes rebuilds twice; the second reload must not be
                // taken for the answer to the next save (it once halved the median).
                echoes += events.drain(quiet: 0.5)
            }
            let sorted = times.sorted()
            print(String(format: "save → reload, %@: median %.0f ms, p90 %.0f ms, max %.0f ms (%d edits, %d extra reloads)",
                         label, median(times), sorted[min(sorted.count - 1, sorted.count * 9 / 10)], sorted.last!, times.count, echoes))
        }
        try measure("body edit") { n in original + "\nParagraphe ajouté \(n).\n" }
        try measure("title edit (catalogue and dashboard too)") { n in
            original.replacingOccurrences(of: "title: \"Service 42", with: "title: \"Service 42 v\(n)")
        }
        original = try String(contentsOf: sheet, encoding: .utf8)
    }
}

/// Reads event names from `/__yourict/events`.
final class EventStream {
    private let fd: Int32
    private var pending = ""

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { throw ValidationError("cannot connect to port \(port)") }
        let request = "GET /__yourict/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }

    /// Reads events until none arrives for `quiet` seconds; how many it read.
    func drain(quiet: Double) -> Int {
        var count = 0
        while next(timeout: quiet) != nil { count += 1 }
        return count
    }

    func next(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            if let range = pending.range(of: "event: ") {
                let rest = pending[range.upperBound...]
                if let end = rest.firstIndex(of: "\n") {
                    let name = String(rest[..<end]).trimmingCharacters(in: .whitespaces)
                    pending = String(rest[end...])
                    return name
                }
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            pending += String(decoding: buffer[0..<n], as: UTF8.self).replacingOccurrences(of: "\r", with: "")
        }
        return nil
    }
}
