import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/api/v2/summary.json` and `/api/v2/status.json` in the shape of the Statuspage
/// public API v2, so that existing clients and widgets can read this site.
///
/// Services are component groups, their components the group's children. Time with
/// no monitoring data has no Statuspage status; it is published as
/// `degraded_performance` (never as operational) with a description saying so.
struct StatuspageAPI {
    let content: ContentSet
    let status: StatusReport?
    let urls: URLBuilder
    let theme: Theme
    /// The components are made on all cores (nothing else runs beside this document).
    var parallel = false

    private var lang: String { content.site.defaultLanguage }
    /// The reference time; null when there is none (no monitoring data and no `--now`).
    private var referenceText: JSONValue { .optional(status?.referenceTime?.iso8601UTC) }
    private let pageID = "yourict"

    func summary() -> JSONValue {
        .object([
            ("page", page()),
            ("components", .array(components())),
            ("incidents", .array(incidents(kind: .incident))),
            ("scheduled_maintenances", .array(incidents(kind: .maintenance))),
            ("status", statusObject()),
        ])
    }

    func statusDocument() -> JSONValue {
        .object([("page", page()), ("status", statusObject())])
    }

    private func page() -> JSONValue {
        .object([
            ("id", .string(pageID)),
            ("name", .string(content.site.title.resolve(lang, fallback: lang))),
            ("url", .string(urls.absolute(.dashboard, lang: lang))),
            ("time_zone", .string(content.site.timeZone.identifier)),
            ("updated_at", referenceText),
        ])
    }

    private static func statuspageStatus(_ state: ComponentState) -> String {
        state == .noData ? "degraded_performance" : state.statusName
    }

    /// Each component is serialised as soon as it is made (at the nesting level of the
    /// `components` list): on a large site the trees of every component would otherwise
    /// exist at once, several times the size of the file.
    private func components() -> [JSONValue] {
        // Formatted once, not for each of thousands of components.
        let reference = status?.referenceTime?.iso8601UTC
        // Each service's position first (a group, then its components), so that the
        // services can then be written on all cores.
        var groups: [(id: String, sheet: ServiceSheet, position: Int)] = []
        var position = 1
        for id in content.orderedServiceIDs {
            guard let sheet = content.services[id]?[lang] else { continue }
            groups.append((id, sheet, position))
            position += 1 + sheet.components.count
        }
        return groups.mapEntries(parallel: parallel) { group -> [JSONValue]? in
            let (id, sheet, position) = group
            let s = status?.services[id]
            let childIDs = sheet.components.map { "\(id)/\($0.id)" }
            var out: [JSONValue] = [.raw(component(id: id, name: sheet.title, state: s?.overall.state ?? .noData, description: sheet.summary,
                                                   position: position, groupID: nil, children: childIDs, reference: reference))]
            for (offset, c) in sheet.components.enumerated() {
                out.append(.raw(component(id: "\(id)/\(c.id)", name: c.name, state: s?.component(c.id)?.state ?? .noData,
                                          description: c.description, position: position + 1 + offset, groupID: id, children: nil, reference: reference)))
            }
            return out
        }.flatMap { $0 }
    }

    /// A component at the nesting level of the `components` list (2), written directly.
    private func component(id: String, name: String, state: ComponentState, description: String?, position: Int,
                           groupID: String?, children: [String]?, reference: String?) -> [UInt8] {
        var w = JSONWriter(indent: 2, capacity: 1024)
        w.object { w in
            w.key("id"); w.string(id)
            w.key("name"); w.string(name)
            w.key("status"); w.string(Self.statuspageStatus(state))
            w.key("created_at"); w.string(reference)
            w.key("updated_at"); w.string(reference)
            w.key("position"); w.int(position)
            w.key("description"); w.string(state == .noData ? "No monitoring data" : description)
            w.key("showcase"); w.bool(true)
            w.key("start_date"); w.null()
            w.key("group_id"); w.string(groupID)
            w.key("page_id"); w.string(pageID)
            w.key("group"); w.bool(children != nil)
            w.key("only_show_if_degraded"); w.bool(false)
            if let children {
                w.key("components")
                w.array { w in for child in children { w.string(child) } }
            }
        }
        return w.finished
    }

    /// Unresolved incidents, or active and upcoming maintenance.
    private func incidents(kind: Incident.Kind) -> [JSONValue] {
        let ref = status?.referenceTime
        return content.incidents.keys.sorted().compactMap { content.incidents[$0]?[lang] }
            .filter { $0.kind == kind }
            .filter { incident in
                guard let ref else { return incident.end == nil }
                return incident.end.map { $0 > ref } ?? true
            }
            .sorted { ($0.start?.millis ?? 0, $0.id) > ($1.start?.millis ?? 0, $1.id) }
            .map { incident(for: $0) }
    }

    private func incident(for incident: Incident) -> JSONValue {
        let id = incident.id
        let created = (incident.updates.first?.at ?? incident.start)?.iso8601UTC
        let updated = (incident.updates.last?.at ?? incident.start)?.iso8601UTC
        let affected: [JSONValue] = incident.affected.map { ref in
            let name = content.service(ref.service, in: lang).map { sheet in
                ref.component.flatMap { c in sheet.components.first { $0.id == c }?.name } ?? sheet.title
            } ?? ref.text
            return .object([("id", .string(ref.text)), ("name", .string(name)), ("status", .string(ComponentState(severity: incident.severity).statusName))])
        }
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("name", .string(incident.title)),
            ("status", .string(currentStatus(incident))),
            ("created_at", .optional(created)),
            ("updated_at", .optional(updated)),
            ("monitoring_at", .optional(incident.updates.last { $0.status == "monitoring" }?.at.iso8601UTC)),
            ("resolved_at", .optional(incident.kind == .incident ? incident.resolvedAt?.iso8601UTC : nil)),
            ("impact", .string(impact(incident))),
            ("shortlink", .string(urls.absolute(.incident(id), lang: lang))),
            ("started_at", .optional(incident.start?.iso8601UTC)),
            ("page_id", .string(pageID)),
            ("incident_updates", .array(incident.updates.reversed().enumerated().map { index, update in
                .object([
                    ("id", .string("\(id)-\(incident.updates.count - index)")),
                    ("status", .string(update.status)),
                    ("body", .string(update.body)),
                    ("incident_id", .string(id)),
                    ("created_at", .string(update.at.iso8601UTC)),
                    ("updated_at", .string(update.at.iso8601UTC)),
                    ("display_at", .string(update.at.iso8601UTC)),
                    ("affected_components", .array(affected)),
                ])
            })),
            ("components", .array(affected)),
        ]
        if incident.kind == .maintenance {
            fields.append(("scheduled_for", .optional(incident.scheduledFor?.iso8601UTC)))
            fields.append(("scheduled_until", .optional(incident.scheduledUntil?.iso8601UTC)))
        }
        return .object(fields)
    }

    /// The Statuspage status: the last update's, or derived from the times.
    private func currentStatus(_ incident: Incident) -> String {
        if let last = incident.updates.last?.status { return last }
        if incident.kind == .maintenance {
            guard let ref = status?.referenceTime, let start = incident.start else { return "scheduled" }
            return start > ref ? "scheduled" : "in_progress"
        }
        return incident.resolvedAt == nil ? "investigating" : "resolved"
    }

    private func impact(_ incident: Incident) -> String {
        switch incident.severity {
        case .underMaintenance: return "maintenance"
        case .degradedPerformance: return "minor"
        case .partialOutage: return "major"
        case .majorOutage: return "critical"
        }
    }

    private func statusObject() -> JSONValue {
        let state = status?.overallState ?? .noData
        let (indicator, description): (String, String) = {
            switch state {
            case .up: return ("none", "All Systems Operational")
            case .degraded, .noData: return ("minor", state == .noData ? "Monitoring Data Unavailable" : "Minor Service Outage")
            case .partial: return ("major", "Partial System Outage")
            case .down: return ("critical", "Major Service Outage")
            case .maintenance: return ("maintenance", "Service Under Maintenance")
            }
        }()
        return .object([("indicator", .string(indicator)), ("description", .string(description))])
    }
}
