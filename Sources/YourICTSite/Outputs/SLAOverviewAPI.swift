import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/api/sla/<yyyy-mm>.json` and `.csv`: a month's SLA overview as data, for management
/// reports and spreadsheets (docs/api.md). Same rows and figures as the page.
enum SLAOverviewAPI {
    static func files(content: ContentSet, status: StatusReport?, urls: URLBuilder, calendar: ZonedCalendar) -> [OutputFile] {
        SLAOverview.months(status).compactMap { month in
            SLAOverview(month: month, content: content, status: status, calendar: calendar)
        }.flatMap { overview in
            [OutputFile(path: SLAOverview.jsonPath(overview.month), bytes: json(overview, content: content, status: status, urls: urls).serializedBytes()),
             OutputFile(path: SLAOverview.csvPath(overview.month), text: csv(overview, content: content, urls: urls))]
        }
    }

    static func json(_ overview: SLAOverview, content: ContentSet, status: StatusReport?, urls: URLBuilder) -> JSONValue {
        let d = content.site.defaultLanguage
        let counts = overview.counts
        let services: [JSONValue] = overview.rows.map { row in
            .object([
                ("id", .string(row.id)),
                ("title", .string(content.services[row.id]?[d]?.title ?? row.id)),
                ("url", .string(urls.url(.slaReport(service: row.id, month: overview.month), lang: d))),
                ("lifecycle", .string(row.stage.rawValue)),
                ("service_level", .string(row.serviceLevel)),
                ("target", .number(row.target)),
                ("availability", .optional(row.availability.map(ServicesAPI.rounded))),
                ("coverage", .optional(row.coverage.map(ServicesAPI.rounded))),
                ("verdict", .string(SLAOverview.verdictKey(row.verdict))),
                ("met", row.verdict.met.map { .bool($0) } ?? .null),
                ("downtime_minutes", .number(ServicesAPI.roundedUp(row.downtimeMinutes))),
                ("maintenance_minutes", .number(ServicesAPI.rounded(row.maintenanceMinutes))),
                ("no_data_minutes", .number(ServicesAPI.rounded(row.noDataMinutes))),
                ("incidents", .int(Int64(row.incidents.count))),
                ("maintenances", .int(Int64(row.maintenances.count))),
                ("source", .string(row.source.rawValue)),
            ])
        }
        return .object([
            ("month", .string(overview.month.description)),
            ("reference_time", .optional(status?.referenceTime?.iso8601UTC)),
            ("start", .string(overview.start.iso8601UTC)),
            ("end", .string(overview.end.iso8601UTC)),
            ("complete", .bool(overview.isComplete)),
            ("time_zone", .string(content.site.timeZone.identifier)),
            ("min_coverage", .number(status?.minimumCoverage ?? content.site.minimumCoverage)),
            ("partial_outage_weight", .number(status?.partialWeight ?? content.site.partialOutageWeight)),
            ("url", .string(urls.url(.slaOverview(overview.month), lang: d))),
            ("csv_url", .string(urls.url(path: SLAOverview.csvPath(overview.month)))),
            ("summary", .object([
                ("services", .int(Int64(overview.rows.count))),
                ("met", .int(Int64(counts.met))),
                ("missed", .int(Int64(counts.missed))),
                ("no_verdict", .int(Int64(counts.none))),
            ])),
            ("services", .array(services)),
        ])
    }

    /// The columns of the CSV file, in order (docs/api.md describes each).
    static let columns = ["month", "service_id", "service", "lifecycle", "service_level", "target", "availability", "coverage",
                          "verdict", "downtime_minutes", "maintenance_minutes", "no_data_minutes", "incidents", "maintenances",
                          "source", "report_url"]

    /// RFC 4180: a header row, fields separated by commas, records ended by CRLF; a field
    /// with a comma, a quote or a line end is quoted, its quotes doubled. UTF-8, no byte
    /// order mark. An empty field is a missing figure (`null` in the JSON file).
    static func csv(_ overview: SLAOverview, content: ContentSet, urls: URLBuilder) -> String {
        let d = content.site.defaultLanguage
        func number(_ value: Double?) -> String { value.map(JSONText.number) ?? "" }
        var out = record(columns)
        for row in overview.rows {
            out += record([
                overview.month.description, row.id, text(content.services[row.id]?[d]?.title ?? row.id), row.stage.rawValue, row.serviceLevel,
                number(row.target), number(row.availability.map(ServicesAPI.rounded)), number(row.coverage.map(ServicesAPI.rounded)),
                SLAOverview.verdictKey(row.verdict), number(ServicesAPI.roundedUp(row.downtimeMinutes)),
                number(ServicesAPI.rounded(row.maintenanceMinutes)), number(ServicesAPI.rounded(row.noDataMinutes)),
                String(row.incidents.count), String(row.maintenances.count), row.source.rawValue,
                urls.absolute(.slaReport(service: row.id, month: overview.month), lang: d),
            ])
        }
        return out
    }

    /// Text written by people, made inert for spreadsheets: one starting with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return would be read as a formula (OWASP's "CSV
    /// injection"), so it gets a leading `'`, which spreadsheets show as text.
    static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
