/// `/api/services.json`: the public contract partners' dashboards read (documented in
/// docs/api.md). Fields may be added, never changed.
enum ServicesAPI {
    static func document(content: ContentSet, status: StatusReport?, urls: URLBuilder) -> JSONValue {
        let d = content.site.defaultLanguage
        let weight = status?.partialWeight ?? content.site.partialOutageWeight
        func windows(_ entity: EntityStatus?) -> JSONValue {
            .object(WindowKey.allCases.map { key in
                (key.rawValue, .optional(entity?.windows[key]?.availability(partialWeight: weight).map(rounded)))
            })
        }
        let services: [JSONValue] = content.orderedServiceIDs.compactMap { id in
            guard let sheet = content.services[id]?[d] else { return nil }
            let s = status?.services[id]
            let level = content.site.serviceLevel(sheet.serviceLevel)
            var fields: [(String, JSONValue)] = [
                ("id", .string(id)),
                ("title", .string(sheet.title)),
                ("url", .string(urls.url(.service(id), lang: d))),
                ("category", .string(sheet.category)),
                ("delivery", .string(sheet.delivery.rawValue)),
                ("service_level", .string(sheet.serviceLevel)),
                ("status", .string(s?.overall.state.statusName ?? ComponentState.noData.statusName)),
                ("target", level.map { .number($0.target) } ?? .null),
                ("met", s?.met.map { .bool($0) } ?? .null),
                ("availability", windows(s?.overall)),
                ("error_budget", .object([
                    ("allowed_minutes", .optional(s?.budgetAllowedMinutes.map(rounded))),
                    ("used_minutes", .optional(s?.budgetUsedMinutes.map(roundedUp))),
                ])),
            ]
            fields.append(("components", .array(sheet.components.map { component in
                let cs = s?.component(component.id)
                return .object([
                    ("id", .string(component.id)),
                    ("name", .string(component.name)),
                    ("status", .string(cs?.state.statusName ?? ComponentState.noData.statusName)),
                    ("availability", windows(cs)),
                ])
            })))
            // Serialised at once (entries sit at nesting level 2), so that the trees of
            // thousands of services never exist together.
            return .raw(JSONValue.object(fields).fragment(indent: 2))
        }
        return .object([
            ("reference_time", .optional(status?.referenceTime?.iso8601UTC)),
            ("services", .array(services)),
        ])
    }

    /// Six decimals, rounded down like every figure of the site (a figure never reads
    /// better than measured, so it never contradicts `met`), and stable across machines.
    static func rounded(_ v: Double) -> Double { (v * 1_000_000 + 1e-4).rounded(.down) / 1_000_000 }

    /// Used downtime rounds up, for the same reason.
    static func roundedUp(_ v: Double) -> Double { (v * 1_000_000 - 1e-4).rounded(.up) / 1_000_000 }
}
