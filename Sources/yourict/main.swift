import ArgumentParser
import Foundation
import YourICTSupport
import YourICTFormats
import YourICTSite
import YourICTPull
import YourICTPreview

@main
struct YourICTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yourict",
        abstract: "Builds an ICT service catalogue and 24/7 monitoring dashboard from Markdown and monitoring JSON.",
        version: YourICTVersion.current,
        subcommands: [Build.self, Check.self, Serve.self, New.self, Init.self, Pull.self],
        defaultSubcommand: nil
    )
}

/// Options shared by commands that read a site.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: "The site folder, holding content/ and templates/.", completion: .directory)
    var source: String = FileManager.default.currentDirectoryPath

    var sourceURL: URL { URL(fileURLWithPath: source, isDirectory: true).standardizedFileURL }

    /// The folder of a site to read: refused, before anything is read, when it does not
    /// exist or holds no `content/` (a mistyped `--source` said only "site.yaml is missing").
    func siteRoot() throws -> URL {
        let root = sourceURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail("the source folder `\(source)` does not exist", hint: "pass --source the site's folder (the one holding content/), or run yourict from it")
        }
        let content = root.appendingPathComponent("content").path
        guard FileManager.default.fileExists(atPath: content, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail("`\(source)` holds no content/ folder: it is not a yourict site", hint: "pass --source the site's folder, or make one with `yourict init`")
        }
        return root
    }
}

func printDiagnostics(_ diagnostics: [Diagnostic], format: DiagnosticFormatter.Format, root: URL) {
    let formatter = DiagnosticFormatter(format: format, sourceLine: Builder.sourceLineReader(root: root))
    // Repeats are counted for people reading a terminal or a log; JSON and annotations
    // keep every diagnostic, so that tools count them as the summary does.
    for d in format == .text ? DiagnosticFormatter.capped(diagnostics) : diagnostics {
        write(formatter.format(d) + "\n", to: .standardError)
    }
    if format == .text, let summary = formatter.summary(of: diagnostics) {
        write(summary + "\n", to: .standardError)
    }
}

/// `--now`, else `SOURCE_DATE_EPOCH`, else nil: site.yaml's `reference_time`, else the clock.
func referenceTime(_ now: String?) throws -> Timestamp? {
    if let now {
        guard let t = Builder.parseNow(now) else {
            throw fail("--now `\(now)` is not an RFC 3339 time", hint: "e.g. --now 2026-11-26T12:00:00Z")
        }
        guard Timestamp.localRange.contains(t.millis) else {
            throw fail("--now `\(now)` is outside 1970-01-02 to 9999-12-30 (UTC)", hint: "a local date of a time outside could be of 1969 or of the year 10000")
        }
        return t
    }
    if let raw = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], Builder.sourceDateEpoch() == nil {
        throw fail("SOURCE_DATE_EPOCH `\(raw)` is not a whole number of seconds from 1970-01-02 to 9999-12-30", hint: "unset it, or set it to e.g. $(git log -1 --format=%ct)")
    }
    return Builder.sourceDateEpoch()
}

/// A line on standard output, unbuffered: `serve` runs for hours with its output
/// often in a pipe or a log file.
func say(_ line: String) {
    write(line + "\n", to: .standardOutput)
}

func fail(_ message: String, hint: String? = nil, code: Int32 = 2) -> ExitCode {
    var text = "error: \(message)\n"
    if let hint { text += "  hint: \(hint)\n" }
    write(text, to: .standardError)
    return ExitCode(code)
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder (atomically).")

    @OptionGroup var source: SourceOptions
    @Option(help: "Output folder (default: public inside the source folder).", completion: .directory)
    var output: String?
    @Option(name: .customLong("base-url"), help: "Absolute base URL, overriding site.yaml's base_url.")
    var baseURL: String?
    @Option(help: "Reference time (RFC 3339); default: SOURCE_DATE_EPOCH, else site.yaml's reference_time, else the clock.")
    var now: String?
    @Flag(help: "Include drafts.")
    var drafts = false
    @Flag(help: "Treat warnings as errors.")
    var strict = false
    @Flag(name: .customLong("no-cache"), help: "Build from scratch even when nothing changed since the last build.")
    var noCache = false

    func run() throws {
        let root = try source.siteRoot()
        let outputURL = output.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? root.appendingPathComponent("public", isDirectory: true)
        let reference = try referenceTime(now)
        if let baseURL, let problem = Builder.baseURLProblem(baseURL) {
            throw fail("--base-url \(problem), found `\(baseURL)`", hint: "e.g. --base-url https://status.example.org/")
        }
        var settings = BuildSettings(includeDrafts: drafts, baseURL: baseURL, now: reference, clock: Timestamp.clock())
        settings.exitsAfterBuild = true
        let result = Builder.run(source: root, output: outputURL, settings: settings, strict: strict, useCache: !noCache)
        printDiagnostics(result.diagnostics, format: .text, root: root)
        if let error = result.writeError {
            throw fail(error.description, hint: error.hint)
        }
        guard let summary = result.summary else { throw ExitCode(1) }
        print(summary)
        // The process's exit reclaims the site's memory at once (`exitsAfterBuild`).
        Foundation.exit(0)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the site without writing anything.")

    @OptionGroup var source: SourceOptions
    @Option(help: "Diagnostics format: text, json or github.")
    var format: String = "text"
    @Option(help: "Reference time (RFC 3339), as for build.")
    var now: String?
    @Flag(help: "Include drafts, as build --drafts does.")
    var drafts = false
    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        guard let format = DiagnosticFormatter.Format(rawValue: format) else {
            throw fail("--format must be text, json or github, found `\(format)`")
        }
        let root = try source.siteRoot()
        var settings = BuildSettings(includeDrafts: drafts, now: try referenceTime(now), clock: Timestamp.clock())
        settings.exitsAfterBuild = true
        let result = Builder.run(source: root, output: nil, settings: settings, strict: strict, keepFiles: false)
        printDiagnostics(result.diagnostics, format: format, root: root)
        if result.diagnostics.hasErrors || result.site == nil { throw ExitCode(1) }
        // The machine formats keep standard output for themselves.
        if format == .text, let summary = result.checkSummary { print(summary) }
        // The process's exit reclaims the site's memory at once (`exitsAfterBuild`).
        Foundation.exit(0)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Preview the site with live reload; rebuilds on every change.")
    @OptionGroup var source: SourceOptions
    @Option(help: "Address to listen on (loopback by default).")
    var host: String = "127.0.0.1"
    @Option(help: "Port; the next free one is used when it is taken.")
    var port: Int = 8080

    func run() async throws {
        let root = try source.siteRoot()
        // The same reference time rules as `build`: a bad SOURCE_DATE_EPOCH is an error.
        _ = try referenceTime(nil)
        var server = PreviewServer(source: root, host: host, port: port)
        do {
            _ = try server.resolvePort()
        } catch let error as PreviewServer.ServeError {
            throw fail(error.description, hint: error.hint)
        }
        let requested = port
        server.onReady = { url in
            if requested != 0, url.port != requested { say("Port \(requested) is in use; using \(url.port ?? 0).") }
            say("Serving \(url.absoluteString) — press Ctrl-C to stop")
        }
        server.onRebuild = { report in
            printDiagnostics(report.diagnostics, format: .text, root: root)
            let verb = report.first ? "Built" : "Rebuilt"
            if report.succeeded {
                say("\(verb) \(report.pages) pages in \(report.milliseconds) ms")
            } else if report.serving {
                say("Build failed; still serving the last good site (details in the browser)")
            } else {
                say("Build failed; the browser shows the errors until they are fixed")
            }
        }
        do {
            try await server.run()
        } catch let error as PreviewServer.ServeError {
            throw fail(error.description, hint: error.hint)
        }
        say("Stopped")
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new content file.", subcommands: [NewService.self])
}

struct NewService: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "Write a service sheet skeleton.")
    @OptionGroup var source: SourceOptions
    @Argument var id: String
    @Option var lang: String?
    @Option(help: "The service's name, as partners know it (default: the id's words as written).")
    var title: String?

    func run() throws {
        do {
            let path = try Scaffold.newService(id: id, lang: lang, title: title, source: source.sourceURL)
            print("Wrote \(path)")
        } catch let error as Scaffold.ScaffoldError {
            throw fail(error.description, hint: error.hint)
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new site that builds at once.")
    @Argument var directory: String

    func run() throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        do {
            let files = try Scaffold.initSite(at: url)
            print("Created a site in \(url.path) (\(files.count) files). Next:\n  cd \(directory)\n  yourict serve")
        } catch let error as Scaffold.ScaffoldError {
            throw fail(error.description, hint: error.hint)
        }
    }
}

struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export monitoring data.", subcommands: [PullPrometheus.self])
}

struct PullPrometheus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prometheus",
        abstract: "Export a query's history from Prometheus' /api/v1/query_range into content/monitoring/.",
        discussion: """
        Exports in chunks under Prometheus' 11,000 points per series, retrying network errors and HTTP 5xx. \
        With files of an earlier pull of the same query and step, fetches only what came after their newest sample. \
        Credentials come from the environment only: YOURICT_PROMETHEUS_TOKEN (bearer), or \
        YOURICT_PROMETHEUS_USER and YOURICT_PROMETHEUS_PASSWORD (basic). \
        Exit status: 0 done, 1 Prometheus answered with an error or bad data, 2 usage, network or write errors.
        """)
    @Option(help: "Prometheus' base URL, e.g. http://prometheus:9090.")
    var url: String
    @Option(help: "The PromQL query, e.g. 'probe_success{job=\"blackbox\"}'.")
    var query: String
    @Option(help: "Days of history to keep (1…3650).")
    var days: Int = 90
    @Option(help: "Resolution: 60s, 5m, 1h or plain seconds; the probes' interval.")
    var step: String = "60s"
    @Option(help: "FOLDER/NAME of the files (NAME-<start>.json); default: content/monitoring/prometheus-<query>-<hash>.")
    var out: String?
    @Option(help: "Last instant to export (RFC 3339); default: now.")
    var end: String?
    @Flag(help: "Export the whole window again and replace every file of NAME.")
    var full = false
    @Option(help: "Seconds to wait for each answer.")
    var timeout: Double = 60
    @Option(help: "Further attempts on network errors and HTTP 5xx/429, with back-off.")
    var retries: Int = 3

    func run() async throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let options: PrometheusPull.Options
        let credentials: PrometheusCredentials?
        do {
            guard timeout > 0, timeout <= 3600 else { throw PullError(.usage, "--timeout must be from 0 to 3600 seconds, found \(timeout)") }
            guard (0...10).contains(retries) else { throw PullError(.usage, "--retries must be from 0 to 10, found \(retries)") }
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            options = try PrometheusPull.Options.validated(
                url: url, query: query, days: days, step: step, end: end, out: out,
                currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true), now: now, full: full)
            credentials = try PrometheusCredentials.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch let error as PullError {
            throw fail(error.message, hint: error.hint, code: error.exitCode)
        }
        let transport = URLSessionTransport(timeout: timeout)
        defer { transport.close() }
        let terminal = isatty(STDERR_FILENO) == 1
        var client = PrometheusClient(baseURL: options.url, credentials: credentials, timeout: timeout, retries: retries, transport: transport)
        // Retries are rare and worth a line in CI logs too.
        client.onRetry = { note("warning: \($0)") }
        let summary: PrometheusPull.Summary
        do {
            summary = try await PrometheusPull.run(options, client: client) { p in
                guard terminal else { return }
                note("[\(p.index)/\(p.count)] \(Timestamp(millis: p.chunk.start)) to \(Timestamp(millis: p.chunk.end)): "
                     + "\(p.series) series, \(PullReport.grouped(p.samples)) samples, \(PullReport.grouped(p.bytes / 1024)) KiB in \(p.milliseconds) ms"
                     + (p.attempts > 1 ? " (\(p.attempts) attempts)" : ""))
            }
        } catch {
            throw fail(error.message, hint: error.hint, code: error.exitCode)
        }
        let ms = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        print(PullReport.text(summary, milliseconds: Int(ms), currentDirectory: FileManager.default.currentDirectoryPath))
    }
}

/// A progress line on standard error.
func note(_ line: String) {
    write(line + "\n", to: .standardError)
}
