import YourICTFormats
import YourICTContent
import YourICTMonitoring

extension Badges {
    /// `/badges/<id>-latency.svg` and `/badges/<id>-latency.json`: the service's median and
    /// 95th percentile response times over 30 days. Only for a service with response
    /// times (`EntityStatus.latency`): one without gets no badge rather than a zero.
    func latencyFiles(for id: String) -> [OutputFile] {
        guard let latency = status?.services[id]?.overall.latency else { return [] }
        let format = LocaleFormat()
        func text(_ ms: Double) -> String { ViewBuilder.latencyText(ms, format: format).replacingEvery("\u{A0}", with: " ") }
        let label = "response time 30d"
        let message: String
        let color: (svg: String, shields: String)
        if let summary = latency.windows[.d30] {
            message = "p50 \(text(summary.p50)) · p95 \(text(summary.p95))"
            color = ("#1f5fbf", "blue")
        } else {
            message = "no data"
            color = ("#6b7280", "lightgrey")
        }
        let title = content.services[id]?[content.site.defaultLanguage]?.title ?? id
        let endpoint = JSONValue.object([
            ("schemaVersion", .int(1)),
            ("label", .string(label)),
            ("message", .string(message)),
            ("color", .string(color.shields)),
        ])
        return [
            OutputFile(path: "badges/\(id)-latency.svg", text: svg(label: label, message: message, color: color.svg, title: "\(title): \(label) \(message)")),
            OutputFile(path: "badges/\(id)-latency.json", bytes: endpoint.serializedBytes()),
        ]
    }
}
