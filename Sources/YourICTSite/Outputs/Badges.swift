import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/badges/<id>.svg` (30-day availability, accessible) and `/badges/<id>.json`
/// (a shields.io endpoint document), per service; with response times, also
/// `/badges/<id>-latency.svg` and `.json` (LatencyBadges.swift).
struct Badges {
    let content: ContentSet
    let status: StatusReport?

    /// The two badges of one service.
    func files(for id: String) -> [OutputFile] {
        let lang = content.site.defaultLanguage
        let s = status?.services[id]
        let weight = status?.partialWeight ?? 1
        var format = LocaleFormat()
        format.availabilityDecimals = content.site.availabilityDecimals
        // A retired service has no rolling figures: its badge says it is retired.
        let retired = content.services[id]?[lang]?.lifecycle.stage == .retired
        let value = retired ? nil : s?.overall.windows[.d30]?.availability(partialWeight: weight)
        var message = retired ? "retired" : value.map { format.availability($0) } ?? "no data"
        // The colour is the verdict of the pages: none (grey) on too little data.
        let color: (svg: String, shields: String)
        switch retired ? .noData : s?.verdict ?? .noData {
        case .met: color = ("#1a7f37", "brightgreen")
        case .missed: color = ("#c22a2a", "red")
        case .insufficient(let coverage):
            color = ("#6b7280", "lightgrey")
            message += " (\(ViewBuilder.coverageText(coverage, format: format)) measured)"
        case .noData, .inProgress: color = ("#6b7280", "lightgrey")
        }
        let title = content.services[id]?[lang]?.title ?? id
        let label = s?.overall.source == .incidents && !retired ? "declared uptime 30d" : "uptime 30d"
        let endpoint = JSONValue.object([
            ("schemaVersion", .int(1)),
            ("label", .string(label)),
            ("message", .string(message)),
            ("color", .string(color.shields)),
        ])
        return [
            OutputFile(path: "badges/\(id).svg", text: svg(label: label, message: message, color: color.svg, title: "\(title): \(label) \(message)")),
            OutputFile(path: "badges/\(id).json", bytes: endpoint.serializedBytes()),
        ] + latencyFiles(for: id)
    }

    /// A flat badge. Widths come from average Verdana 11 px advances, as shields does.
    func svg(label: String, message: String, color: String, title: String) -> String {
        func width(_ s: String) -> Int { Int((Double(s.count) * 6.6).rounded()) + 10 }
        let lw = width(label), mw = width(message), total = lw + mw
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(total)" height="20" role="img" aria-label="\(XML.escape(title))">
        <title>\(XML.escape(title))</title>
        <rect width="\(lw)" height="20" fill="#555"/>
        <rect x="\(lw)" width="\(mw)" height="20" fill="\(color)"/>
        <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
        <text x="\(lw / 2)" y="14">\(XML.escape(label))</text>
        <text x="\(lw + mw / 2)" y="14">\(XML.escape(message))</text>
        </g>
        </svg>

        """
    }
}
