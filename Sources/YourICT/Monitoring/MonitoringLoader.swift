/// Reads every file of `content/monitoring/` into one timeline per component.
struct MonitoringLoader {
    var timelines: [String: Timeline] = [:]
    var newestSample: Timestamp?
    var futureSamples: [(path: String, newest: Timestamp)] = []

    static func load(tree: SourceTree, content: ContentSet, diagnostics: DiagnosticBag) -> MonitoringLoader {
        MonitoringLoader()
    }

    func warnAboutFutureSamples(after reference: Timestamp, diagnostics: DiagnosticBag) {
        for entry in futureSamples where entry.newest > reference {
            diagnostics.warning("samples after the reference time \(reference) are ignored (newest: \(entry.newest))",
                                at: SourceLocation(path: entry.path),
                                hint: "--now is earlier than the data; drop --now to use the newest sample")
        }
    }
}
