import YourICTSupport
import YourICTFormats
import YourICTContent

/// Where an incident or a maintenance stands at the reference time. Every output
/// (state, figures, pages, Statuspage JSON, feeds) asks this one question the same way,
/// so an event is never "upcoming" on one page and "in progress" in another.
public enum EventPhase: String, Sendable, CaseIterable {
    /// A maintenance that has not started.
    case scheduled
    /// A maintenance under way.
    case inProgress = "in_progress"
    /// A maintenance under way whose latest update says the work is being checked.
    case verifying
    /// A maintenance that is over: its end has passed, or an update said `completed`.
    case completed
    /// A maintenance called off: an update said `cancelled`. It sets no state, and from
    /// the cancellation on (all of it, when called off before its start) its window is
    /// not maintenance.
    case cancelled
    /// An incident that has started and is not resolved.
    case open
    /// An incident resolved by the reference time.
    case resolved
    /// An incident that starts after the reference time: it is not news yet.
    case notStarted = "not_started"

    /// The event sets the state of what it affects now.
    public var isActive: Bool { self == .inProgress || self == .verifying || self == .open }
}

extension Incident {
    /// The updates published by `reference`, oldest first: one dated later is not news
    /// yet, on any page or feed. All of them without a reference time.
    public func updates(asOf reference: Timestamp?) -> ArraySlice<Update> {
        guard let reference else { return updates[...] }
        // Updates are sorted by time (IncidentDecoder).
        let count = updates.firstIndex { $0.at > reference } ?? updates.endIndex
        return updates[..<count]
    }

    /// When the event starts affecting its services, as known at `reference`: an
    /// incident's `started_at`; a maintenance's `scheduled_for`, or its first published
    /// update saying `in_progress` or `verifying`, if that came earlier (work begun ahead
    /// of its window is under way from then).
    public func effectiveStart(asOf reference: Timestamp?) -> Timestamp? {
        guard kind == .maintenance, let planned = scheduledFor else { return start }
        let early = updates(asOf: reference).first { $0.at < planned && Self.workStatuses.contains($0.status) }?.at
        return early ?? planned
    }

    /// The update statuses that say a maintenance's work is under way.
    static let workStatuses: Set<String> = ["in_progress", "verifying"]

    /// When the event stops affecting its services, as known at `reference`: an
    /// incident's `resolved_at`; a maintenance's `scheduled_until`, or the first update
    /// that said `completed` after its start, or `cancelled` (its start at the latest: a
    /// maintenance called off before it began never began), if that came earlier. Work
    /// that overruns — an update after `scheduled_until` saying `in_progress` or
    /// `verifying` — goes on until its `completed` update (none yet: no end).
    public func effectiveEnd(asOf reference: Timestamp?) -> Timestamp? {
        guard kind == .maintenance else { return resolvedAt }
        let published = updates(asOf: reference)
        let start = effectiveStart(asOf: reference)
        let completed = published.first { update in
            update.status == "completed" && start.map { update.at >= $0 } ?? true
        }?.at
        let cancelled = cancellation(asOf: reference).map { at in start.map { max($0, at) } ?? at }
        var planned = scheduledUntil
        if let until = scheduledUntil, completed.map({ $0 > until }) ?? true,
           published.contains(where: { $0.at > until && Self.workStatuses.contains($0.status) }) {
            planned = nil
        }
        return [completed, cancelled, planned].compactMap { $0 }.min()
    }

    /// When a maintenance was called off: its first update, published by `reference`,
    /// that said `cancelled`.
    public func cancellation(asOf reference: Timestamp?) -> Timestamp? {
        guard kind == .maintenance else { return nil }
        return updates(asOf: reference).first { $0.status == Self.cancelledStatus }?.at
    }

    /// The phase at `reference`. Without a reference time (no clock, no `--now`), an
    /// incident without `resolved_at` is open and a maintenance is scheduled, or
    /// cancelled when an update says so.
    public func phase(at reference: Timestamp?) -> EventPhase {
        let end = effectiveEnd(asOf: reference)
        switch kind {
        case .incident:
            guard let reference else { return resolvedAt == nil ? .open : .resolved }
            guard let start, start <= reference else { return .notStarted }
            return end.map { $0 > reference } ?? true ? .open : .resolved
        case .maintenance:
            if cancellation(asOf: reference) != nil { return .cancelled }
            guard let reference else { return .scheduled }
            if let end, end <= reference { return .completed }
            guard let start = effectiveStart(asOf: reference), start <= reference else { return .scheduled }
            return updates(asOf: reference).last?.status == "verifying" ? .verifying : .inProgress
        }
    }

    /// The state the event declares for what it affects while under way: a maintenance
    /// (or planned work) makes it under maintenance whatever its severity; an incident,
    /// its severity. `CurrentState.decide` applies the same rule.
    public var declaredState: ComponentState {
        kind == .maintenance || severity == .underMaintenance ? .maintenance : ComponentState(severity: severity)
    }

    /// What the event declared for what it affects at `time`, by its phase then: its
    /// `declaredState` while under way, operational before and after (and once called
    /// off). The Statuspage updates' `affected_components` give it per update.
    public func declaredState(at time: Timestamp) -> ComponentState {
        phase(at: time).isActive ? declaredState : .up
    }

    /// The Statuspage status of the event at `reference`: a maintenance's phase, an
    /// incident's latest published update (or `investigating` / `resolved` by its times).
    /// Statuspage has no cancelled maintenance: one called off is `completed`.
    public func statuspageStatus(at reference: Timestamp?) -> String {
        let phase = phase(at: reference)
        switch kind {
        case .maintenance:
            return phase == .cancelled ? EventPhase.completed.rawValue : phase.rawValue
        case .incident:
            if phase == .resolved { return "resolved" }
            // Open: an update saying `resolved` without `resolved_at` does not resolve it
            // (the decoder warns); its status is the last one before.
            return updates(asOf: reference).last { $0.status != "resolved" }?.status ?? "investigating"
        }
    }
}

/// Diagnostics about events dated after the reference time: with the clock as the
/// reference time, these are usually a wrong offset.
package enum EventTimes {
    package static func warnAboutFutureEvents(content: ContentSet, reference: Timestamp, diagnostics: DiagnosticBag) {
        // From `incidents_since` on, time without a declared incident counts as up: after the
        // reference time, nothing unmonitored has a figure, and nothing said why.
        if let since = content.site.incidentsSince, since > reference {
            diagnostics.warning("`incidents_since` is after the reference time (\(since) > \(reference)): services nothing monitors have no figures from declared incidents",
                                at: content.site.incidentsSinceLocation ?? SourceLocation(path: "content/site.yaml"),
                                hint: "set it to when the team began declaring every incident, in the past")
        }
        var reported = Set<SourceLocation>()
        for id in content.incidents.keys.sorted() {
            for incident in content.incidents[id]!.values.sorted(by: { $0.path < $1.path }) {
                if incident.kind == .incident, let start = incident.startedAt, start > reference,
                   reported.insert(incident.startLocation ?? SourceLocation(path: incident.path)).inserted {
                    diagnostics.warning("the incident starts after the reference time (\(start) > \(reference)): it is not shown as open, nor listed, until then",
                                        at: incident.startLocation ?? SourceLocation(path: incident.path),
                                        hint: "check the offset of `started_at` (+01:00, Z…); planned work is a `kind: maintenance` with `scheduled_for`")
                }
                for update in incident.updates where update.at > reference && reported.insert(update.location).inserted {
                    diagnostics.warning("this update is dated after the reference time (\(update.at) > \(reference)): it is not published until then",
                                        at: update.location, hint: "check the offset of `at` (+01:00, Z…)")
                }
            }
        }
    }
}
