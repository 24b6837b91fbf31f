import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/api/services.json`: the public contract partners' dashboards read (documented in
/// docs/api.md). Fields may be added, never changed.
package enum ServicesAPI {
    /// `entry` builds an entry, or takes it from a cache (`serve`).
    package static func document(content: ContentSet, status: StatusReport?, urls: URLBuilder, parallel: Bool = false,
                                 entry: EntryBuilder = { _, indent, build in .raw(build(indent)) }) -> JSONValue {
        let d = content.site.defaultLanguage
        let weight = status?.partialWeight ?? content.site.partialOutageWeight
        @Sendable func windows(_ w: inout JSONWriter, _ entity: EntityStatus?) {
            w.key("availability")
            w.object { w in
                for key in WindowKey.allCases {
                    w.key(key.rawValue)
                    w.number(entity?.windows[key]?.availability(partialWeight: weight).map(rounded))
                }
            }
        }
        // Added after the core fields: what the figures rest on.
        @Sendable func basis(_ w: inout JSONWriter, _ entity: EntityStatus?) {
            w.key("coverage")
            w.object { w in
                for key in WindowKey.allCases {
                    w.key(key.rawValue)
                    w.number(entity?.windows[key]?.coverage.map(rounded))
                }
            }
            w.key("source")
            w.object { w in
                for key in WindowKey.allCases {
                    w.key(key.rawValue)
                    w.string(entity.map { $0.source.rawValue })
                }
            }
            w.key("last_sample_at"); w.string(entity?.current.lastData?.iso8601UTC)
            latency(&w, entity?.latency)
        }
        // Response times per window, in milliseconds to three significant digits; null
        // without any (docs/api.md).
        @Sendable func latency(_ w: inout JSONWriter, _ figures: LatencyFigures?) {
            w.key("response_time_ms")
            guard let figures else { return w.null() }
            w.object { w in
                for (name, value) in [("p50", \LatencySummary.p50), ("p95", \LatencySummary.p95)] {
                    w.key(name)
                    w.object { w in
                        for key in WindowKey.allCases {
                            w.key(key.rawValue)
                            w.number(figures.windows[key].map { LatencySummary.rounded($0[keyPath: value]) })
                        }
                    }
                }
                w.key("samples")
                w.object { w in
                    for key in WindowKey.allCases {
                        w.key(key.rawValue)
                        if let n = figures.windows[key]?.samples { w.int(n) } else { w.null() }
                    }
                }
            }
        }
        // Retired services leave the list (their pages and SLA history stay): `retired` below.
        let services: [JSONValue] = content.listedServiceIDs.mapEntries(parallel: parallel) { id in
            guard let sheet = content.services[id]?[d] else { return nil }
            // Serialised at once, at the entries' nesting level (2), straight to bytes:
            // the trees of thousands of services never exist.
            return entry(DocumentKey(.service, id), 2) { indent in serviceEntry(id, sheet: sheet, indent: indent) }
        }
        @Sendable func serviceEntry(_ id: String, sheet: ServiceSheet, indent: Int?) -> [UInt8] {
            let s = status?.services[id]
            let level = content.site.serviceLevel(sheet.serviceLevel)
            var w = JSONWriter(indent: indent, capacity: 2048)
            w.object { w in
                w.key("id"); w.string(id)
                w.key("title"); w.string(sheet.title)
                w.key("url"); w.string(urls.url(.service(id), lang: d))
                w.key("category"); w.string(sheet.category)
                w.key("delivery"); w.string(sheet.delivery)
                w.key("service_level"); w.string(sheet.serviceLevel)
                w.key("status"); w.string(s?.overall.current.name ?? ComponentState.noData.statusName)
                w.key("target"); w.number(level?.target)
                w.key("met")
                if let met = s?.met { w.bool(met) } else { w.null() }
                windows(&w, s?.overall)
                w.key("error_budget")
                w.object { w in
                    w.key("allowed_minutes"); w.number(s?.budgetAllowedMinutes.map(rounded))
                    w.key("used_minutes"); w.number(s?.budgetUsedMinutes.map(roundedUp))
                }
                basis(&w, s?.overall)
                lifecycle(&w, sheet.lifecycle)
                w.key("depends_on")
                w.array { w in for dependency in sheet.dependsOn { w.string(dependency.text) } }
                w.key("affected_through")
                w.array { w in
                    for impact in s?.affectedThrough ?? [] {
                        w.object { w in
                            w.key("id"); w.string(impact.text)
                            w.key("status"); w.string(impact.state.name)
                            w.key("via"); w.string(impact.via)
                        }
                    }
                }
                w.key("components")
                w.array { w in
                    for component in sheet.components {
                        let cs = s?.component(component.id)
                        w.object { w in
                            w.key("id"); w.string(component.id)
                            w.key("name"); w.string(component.name)
                            w.key("status"); w.string(cs?.current.name ?? ComponentState.noData.statusName)
                            windows(&w, cs)
                            basis(&w, cs)
                        }
                    }
                }
            }
            return w.finished
        }
        let retired: [JSONValue] = content.orderedServiceIDs.compactMap { id in
            guard let sheet = content.services[id]?[d], sheet.lifecycle.stage == .retired else { return nil }
            return .object([
                ("id", .string(id)),
                ("title", .string(sheet.title)),
                ("url", .string(urls.url(.service(id), lang: d))),
                ("since", .optional(sheet.lifecycle.since?.isoString)),
                ("replaced_by", .optional(sheet.lifecycle.replacedBy)),
            ])
        }
        return .object([
            ("reference_time", .optional(status?.referenceTime?.iso8601UTC)),
            ("services", .array(services)),
            ("retired", .array(retired)),
        ])
    }

    private static func lifecycle(_ w: inout JSONWriter, _ lifecycle: Lifecycle) {
        w.key("lifecycle")
        w.object { w in
            w.key("stage"); w.string(lifecycle.stage.rawValue)
            w.key("since"); w.string(lifecycle.since?.isoString)
            w.key("until"); w.string(lifecycle.until?.isoString)
            w.key("replaced_by"); w.string(lifecycle.replacedBy)
        }
    }

    /// Six decimals, rounded down like every figure of the site (a figure never reads
    /// better than measured, so it never contradicts `met`), and stable across machines.
    static func rounded(_ v: Double) -> Double { (v * 1_000_000 + 1e-4).rounded(.down) / 1_000_000 }

    /// Used downtime rounds up, for the same reason.
    static func roundedUp(_ v: Double) -> Double { (v * 1_000_000 - 1e-4).rounded(.up) / 1_000_000 }
}
