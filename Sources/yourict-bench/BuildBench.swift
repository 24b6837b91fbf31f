import ArgumentParser
import Foundation

/// Times `yourict build` on a synthetic site, and the same Markdown with Hugo and
/// cmark-gfm when they are installed, so that the ratios come from one run.
struct BuildBench: ParsableCommand {
    enum Shape: String, ExpressibleByArgument, Sendable { case plain, realistic }

    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Generate a synthetic site, time yourict build (median of runs), compare with Hugo and cmark-gfm.")

    @Option(help: "Service sheets.") var services = 5000
    @Option(help: "The site's shape: plain (tags of a small vocabulary, no monitoring unless --series) or realistic (two languages, three Zipf-spread tags of 200 per service, both components of every service monitored over --days in the yourict format; Hugo builds both languages and the tag pages).") var shape: Shape = .plain
    @Option(help: "Languages (1–4): each sheet is translated into each. Default: 1, or 2 in the realistic shape.") var languages: Int?
    @Option(help: "Prometheus series (two per service at most are matched).") var series = 0
    @Option(help: "Days of monitoring history.") var days = 90
    @Option(help: "Monitoring step, in seconds.") var step = 60
    @Option(help: "Timed runs; the median is reported.") var runs = 5
    @Option(help: "Working folder (default: a temporary folder).") var directory: String?
    @Option(help: "The yourict binary (default: next to this one).") var yourict: String?
    @Flag(help: "Skip the Hugo and cmark-gfm comparison.") var noCompare = false
    @Option(help: "Seconds that must have passed since this benchmark last deleted files (a new synthetic site, the outputs of a previous run) before timing; it waits for the rest. 0: no wait.") var settle = 370

    func run() throws {
        let base = directory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("yourict-bench-build")
        let siteRoot = base.appendingPathComponent("site")
        let binary = yourict ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yourict").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("no yourict binary at \(binary); build it with `swift build -c release --product yourict`")
        }
        let templates = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("templates")
        let languages = self.languages ?? (shape == .realistic ? 2 : 1)
        let synthetic = SyntheticSite(services: services, languages: languages, series: series, days: days, step: step, realistic: shape == .realistic)
        print("Generating \(services) sheets × \(languages) language(s), \(series) series × \(days) days at \(step) s\(shape == .realistic ? ", realistic shape" : "") …")
        var deleted = try synthetic.write(to: siteRoot, templates: templates)
        let markdownBytes = folderSize(siteRoot.appendingPathComponent("content/services"))
        let monitoringBytes = folderSize(siteRoot.appendingPathComponent("content/monitoring"))
        print("Markdown: \(mb(markdownBytes)) in \(services * languages) files; monitoring: \(mb(monitoringBytes))")

        // Each clean run (Hugo's too) writes into a folder of its own, and the outputs are
        // deleted when the benchmark ends (left over only if it was stopped): deleting
        // between runs would slow the next ones (see `settle` below).
        let hugoRoot = base.appendingPathComponent("hugo")
        func removeOutputs() -> Bool {
            var removed = false
            for folder in [base, hugoRoot] {
                for stale in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where stale.hasPrefix("public") || stale.hasPrefix(".public") {
                    removed = (try? FileManager.default.removeItem(at: folder.appendingPathComponent(stale))) != nil || removed
                }
            }
            return removed
        }
        // One stamp for the machine, not per folder: another benchmark's clean-up slows
        // this one's runs as much as its own.
        let deletionStamp = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-bench-last-deletion")
        func noteDeletion() { try? String(Date().timeIntervalSince1970).write(to: deletionStamp, atomically: true, encoding: .utf8) }
        if removeOutputs() { deleted = true }
        defer { if removeOutputs() { noteDeletion() } }
        // Hugo's clean runs alternate with yourict's, so that both meet the file system in
        // the same state.
        let hugo = noCompare ? nil : which("hugo")
        if hugo != nil, try synthetic.writeHugo(to: hugoRoot, from: siteRoot) { deleted = true }
        // On ext4 without a journal, a new inode skips every inode freed in the last 60
        // seconds, or 360 while its inode table block is not yet written back (and the
        // new inodes written next to them keep it so), checking each under the folder's
        // lock: for minutes after the previous runs' outputs (or a synthetic site) were
        // deleted, creating files costs several times more and the other core spins on
        // the lock. Timing then would measure this benchmark's own clean-up; the builds
        // of CI (a fresh clone) and of operations (the previous output recycled) do not
        // meet it. So the runs start `settle` seconds after the last deletion.
        if deleted { noteDeletion() }
        if settle > 0, let text = try? String(contentsOf: deletionStamp, encoding: .utf8), let last = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            let wait = Double(settle) - (Date().timeIntervalSince1970 - last)
            if wait > 0 {
                print(String(format: "Waiting %.0f s: files were deleted %.0f s ago, and creating files on this file system is slower for %d s after (--settle 0 to skip) …",
                             wait, Double(settle) - wait, settle))
                Thread.sleep(forTimeInterval: wait)
            }
        }
        var hugoTimes: [Double] = []
        var times: [Double] = []
        var pages = 0
        var peak = 0
        var output = base.appendingPathComponent("public")
        for run in 0..<runs {
            // A clean build each time: no cache, no previous output.
            output = base.appendingPathComponent("public-\(run + 1)")
            try? FileManager.default.removeItem(at: siteRoot.appendingPathComponent(".yourict-cache"))
            let result = try timed(binary, ["build", "--source", siteRoot.path, "--output", output.path])
            times.append(result.seconds)
            peak = max(peak, result.peakMemory)
            if run == 0 {
                // The summary is the last line (warnings, if any, come before it).
                let summary = result.output.split(separator: "\n").last.map(String.init) ?? ""
                print(summary)
                pages = Int(summary.split(separator: " ").dropFirst().first ?? "0") ?? 0
            }
            if let hugo {
                let destination = hugoRoot.appendingPathComponent("public-\(run + 1)")
                hugoTimes.append(try timed(hugo, ["--quiet", "--source", hugoRoot.path, "--destination", destination.path]).seconds)
            }
        }
        let full = median(times)
        print(String(format: "yourict build (clean): %.3f s median of %d (min %.3f, max %.3f) — %.0f pages/s, peak memory %@",
                     full, runs, times.min()!, times.max()!, Double(pages) / full, mb(peak)))
        // The search index's budget (docs/performance.md): 1.5 MB gzipped for 5,000 sheets.
        let index = output.appendingPathComponent("search/index.\(SyntheticSite.languageCodes[0]).json")
        if let raw = try? FileManager.default.attributesOfItem(atPath: index.path)[.size] as? Int,
           let gzipped = try? timed("/bin/sh", ["-c", "gzip -9 -c \"$0\" | wc -c", index.path]) {
            let compressed = Double(gzipped.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            print(String(format: "search index (%@): %.3f MB, %.3f MB with gzip -9 (budget for 5,000 sheets: 1.5 MB)",
                         SyntheticSite.languageCodes[0], Double(raw) / 1e6, compressed / 1e6))
        }
        if monitoringBytes > 0 {
            print(String(format: "  monitoring share: %@ read within the build (%.0f MB/s of the whole build time)",
                         mb(monitoringBytes), Double(monitoringBytes) / 1_000_000 / full))
        }
        // Everything rebuilt (--no-cache) over the previous output, as CI does on a runner
        // that keeps its workspace: the previous output is recycled.
        var rebuild: [Double] = []
        for _ in 0..<runs { rebuild.append(try timed(binary, ["build", "--no-cache", "--source", siteRoot.path, "--output", output.path]).seconds) }
        print(String(format: "yourict build --no-cache over its previous output: %.3f s median of %d (min %.3f)",
                     median(rebuild), runs, rebuild.min()!))
        // The cache is recorded by a clean build; --no-cache deleted it.
        _ = try timed(binary, ["build", "--source", siteRoot.path, "--output", output.path])
        // Nothing changed since the last build: the cache should answer.
        var warm: [Double] = []
        for _ in 0..<runs { warm.append(try timed(binary, ["build", "--source", siteRoot.path, "--output", output.path]).seconds) }
        print(String(format: "yourict build (nothing changed): %.3f s median of %d", median(warm), runs))

        guard !noCompare else { return }
        if hugo != nil {
            let h = median(hugoTimes)
            print(String(format: "hugo (same Markdown, minimal template, runs alternating with yourict's): %.3f s median — yourict/hugo = %.2f", h, full / h))
        } else {
            print("hugo: not installed (apt-get install hugo) — no comparison")
        }
        if let cmark = which("cmark-gfm") {
            let files = try FileManager.default.contentsOfDirectory(atPath: siteRoot.appendingPathComponent("content/services").path)
                .sorted().map { siteRoot.appendingPathComponent("content/services/\($0)").path }
            var cmarkTimes: [Double] = []
            for _ in 0..<runs {
                cmarkTimes.append(try timed(cmark, ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"] + files, discardOutput: true).seconds)
            }
            let c = median(cmarkTimes)
            print(String(format: "cmark-gfm CLI (same Markdown, one process): %.3f s median — yourict/cmark-gfm = %.2f", c, full / c))
        }
    }

    private func folderSize(_ url: URL) -> Int {
        guard let e = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total = 0
        for case let f as URL in e { total += (try? f.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0 }
        return total
    }
}

struct TimedRun {
    var seconds: Double
    var peakMemory: Int
    var output: String
}

/// Runs a command, returning its wall time and the peak memory of that child alone
/// (`wait4`'s rusage: `RUSAGE_CHILDREN` would be the largest of every child so far,
/// Hugo's included when runs alternate).
func timed(_ executable: String, _ arguments: [String], discardOutput: Bool = false) throws -> TimedRun {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var fds: [Int32] = [-1, -1]
    if discardOutput {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    } else {
        guard pipe(&fds) == 0 else { throw ValidationError("pipe: \(String(cString: strerror(errno)))") }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    if !discardOutput { close(fds[1]) }
    guard spawned == 0 else {
        if !discardOutput { close(fds[0]) }
        throw ValidationError("cannot run \(executable): \(String(cString: strerror(spawned)))")
    }
    var data = [UInt8]()
    if !discardOutput {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        close(fds[0])
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let text = String(decoding: data, as: UTF8.self)
    // Exited normally with 0: the low 7 bits are 0 (no signal), the next 8 the code.
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
        throw ValidationError("\(executable) failed (status \(status)):\n\(text.suffix(2000))")
    }
    return TimedRun(seconds: seconds, peakMemory: usage.ru_maxrss * 1024, output: text)
}

func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
