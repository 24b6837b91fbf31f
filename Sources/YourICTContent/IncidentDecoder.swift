
/// Front matter of an incident or maintenance to `Incident`.
package enum IncidentDecoder {
    /// 1990-01-01T00:00:00Z: an incident or maintenance dated before it is taken for a typo.
    static let earliestPlausible: Int64 = 631_152_000_000

    package static func decode(_ file: ContentFile, _ r: YAMLReader, base: Incident?) -> Incident? {
        let d = r.diagnostics
        let required = base == nil
        let title = r.string("title", required: required, hint: "e.g. title: Lenteurs d'accès au webmail") ?? base?.title
        let kind = r.choice("kind", Incident.Kind.allCases.map(\.rawValue)).flatMap(Incident.Kind.init(rawValue:)) ?? base?.kind ?? .incident
        var severity = r.choice("severity", Incident.Severity.allCases.map(\.rawValue)).flatMap(Incident.Severity.init(rawValue:)) ?? base?.severity
        if severity == nil {
            if kind == .maintenance {
                severity = .underMaintenance
            } else if required && r.node("severity") == nil {
                // A value that is not a severity has its "must be one of" error already.
                d.error("missing required field `severity`", at: r.location,
                        hint: "one of: \(Incident.Severity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if kind == .incident, severity == .underMaintenance {
            d.error("an incident cannot have severity `under_maintenance`", at: r.keyLocation("severity"),
                    hint: "planned work is `kind: maintenance`; an incident is degraded_performance, partial_outage or major_outage")
        }

        var affected = base?.affected ?? []
        if r.node("affected") != nil || required {
            affected = []
            let items = r.stringsWithLocations("affected")
            if items.isEmpty && required {
                d.error("`affected` lists no service", at: r.node("affected").map { r.location(of: $0) } ?? r.location,
                        hint: "list the service ids (or service/component ids) concerned, e.g. affected: [messagerie/webmail]")
            }
            for (text, location) in items {
                let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                guard (1...2).contains(parts.count), parts.allSatisfy(Validation.isSafeID) else {
                    d.error("`\(text)` is not a service id or service/component id", at: location, hint: Validation.idHint)
                    continue
                }
                affected.append(Incident.AffectedRef(service: parts[0], component: parts.count == 2 ? parts[1] : nil, location: location))
            }
        }

        let startedAt = r.timestamp("started_at", required: required && kind == .incident) ?? base?.startedAt
        let resolvedAt = r.timestamp("resolved_at") ?? base?.resolvedAt
        let scheduledFor = r.timestamp("scheduled_for", required: required && kind == .maintenance) ?? base?.scheduledFor
        let scheduledUntil = r.timestamp("scheduled_until", required: required && kind == .maintenance) ?? base?.scheduledUntil
        if kind == .incident, let s = startedAt, let e = resolvedAt, e < s {
            d.error("`resolved_at` is before `started_at`", at: r.keyLocation("resolved_at"))
        }
        if kind == .maintenance, let s = scheduledFor, let e = scheduledUntil, e <= s {
            d.error("`scheduled_until` must be after `scheduled_for`", at: r.keyLocation("scheduled_until"))
        }
        if kind == .maintenance, r.node("started_at") != nil || r.node("resolved_at") != nil {
            d.warning("maintenance uses `scheduled_for` and `scheduled_until`; `started_at`/`resolved_at` are ignored", at: r.location)
        }

        // Inherited updates are in the original's language.
        var updates: [Incident.Update] = base?.updates.map { update -> Incident.Update in
            var u = update
            u.lang = u.lang ?? base?.lang
            return u
        } ?? []
        if r.node("updates") != nil {
            let allowed = kind == .incident ? Incident.incidentStatuses : Incident.maintenanceStatuses + Incident.incidentStatuses
            updates = ServiceDecoder.items(r, "updates", what: "an update") { u -> Incident.Update? in
                guard let at = u.timestamp("at", required: true) else { _ = u.node("status"); _ = u.node("body"); return nil }
                let status = u.choice("status", allowed, required: true) ?? "investigating"
                return Incident.Update(at: at, status: status, body: u.string("body") ?? "", location: u.location)
            }.compactMap { $0 }
            for (a, b) in zip(updates, updates.dropFirst()) where b.at < a.at {
                d.warning("updates are not in chronological order", at: b.location, hint: "they are shown sorted by time")
            }
            updates.sort { $0.at < $1.at }
        }
        if kind == .incident, resolvedAt != nil, let last = updates.last, last.status != "resolved" {
            d.warning("the incident has `resolved_at` but its last update is `\(last.status)`", at: last.location,
                      hint: "add a final update with status: resolved")
        }
        // A `resolved` update before `resolved_at`: until then the incident is open, while
        // its newest update already says it is resolved (on the pages, and in Statuspage
        // clients that show the newest update).
        if kind == .incident, base == nil, let resolvedAt,
           let early = updates.first(where: { $0.status == "resolved" && $0.at < resolvedAt }) {
            d.warning("this update says `resolved` at \(early.at.iso8601UTC), before `resolved_at` (\(resolvedAt.iso8601UTC)): the incident stays open until then",
                      at: early.location, hint: "give both the same time: resolved_at: \(early.at.iso8601UTC), or the update's `at` the time it was resolved")
        }
        // Updates outside the incident's own stretch: its page's "resolved at" and duration
        // contradict its timeline (resolved 09:30, 18 minutes, then "identified 09:58"), and
        // the figures count only the stretch.
        if kind == .incident, base == nil, let resolvedAt, let late = updates.first(where: { $0.at > resolvedAt }) {
            d.warning("this update is dated \(late.at.iso8601UTC), after `resolved_at` (\(resolvedAt.iso8601UTC)): the incident counts only until `resolved_at`",
                      at: late.location, hint: "if it lasted until then, write resolved_at: \(updates[updates.count - 1].at.iso8601UTC); else correct the update's `at`")
        }
        if kind == .incident, base == nil, let startedAt, let early = updates.first(where: { $0.at < startedAt }) {
            d.warning("this update is dated \(early.at.iso8601UTC), before `started_at` (\(startedAt.iso8601UTC)): the incident counts only from `started_at`",
                      at: early.location, hint: "if it began then, write started_at: \(early.at.iso8601UTC); else correct the update's `at`")
        }
        // A year mistyped (0026 for 2026) made an incident of centuries: "730485 days", and
        // ten years of monthly reports for every service it names.
        for (key, time) in [("started_at", startedAt), ("resolved_at", resolvedAt), ("scheduled_for", scheduledFor), ("scheduled_until", scheduledUntil)]
            where r.node(key) != nil {
            guard let time, time.millis < Self.earliestPlausible else { continue }
            d.warning("`\(key)` is \(time.iso8601UTC), before 1990: is the year mistyped?", at: r.keyLocation(key),
                      hint: "write the year in full, e.g. 2026")
        }
        if kind == .incident, resolvedAt == nil, base == nil, let last = updates.last, last.status == "resolved" {
            d.warning("the last update says `resolved` but the incident has no `resolved_at`: it stays open", at: last.location,
                      hint: "add resolved_at: \(last.at.iso8601UTC) (or the time it was resolved)")
        }
        let draft = r.bool("draft") ?? base?.draft ?? false
        // Kept with placeholders when a field was reported missing, so nothing cascades.
        var incident = Incident(id: file.id, lang: file.lang, path: file.path, title: title ?? file.id, kind: kind, severity: severity ?? .majorOutage,
                        affected: affected, startedAt: startedAt, resolvedAt: resolvedAt, scheduledFor: scheduledFor,
                        scheduledUntil: scheduledUntil, updates: updates, draft: draft, body: file.body)
        let startKey = kind == .incident ? "started_at" : "scheduled_for"
        incident.startLocation = r.node(startKey) != nil ? r.keyLocation(startKey) : base?.startLocation
        if let base, r.node("title") == nil { incident.titleLang = base.titleLanguage }
        if let base { TranslationRules.reconcile(&incident, base: base, r: r) }
        return incident
    }
}
