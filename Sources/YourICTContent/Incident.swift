import YourICTSupport

/// An incident or a planned maintenance, from `content/incidents/<id>[.<lang>].md`.
public struct Incident: Sendable {
    public var id: String
    public var lang: String
    public var path: String
    public var title: String
    /// The language of `title` when a translation inherited it from the original; nil:
    /// `lang` (`titleLanguage`).
    public var titleLang: String?
    public var kind: Kind
    public var severity: Severity
    /// Service ids or `service/component` ids.
    public var affected: [AffectedRef]
    public var startedAt: Timestamp?
    public var resolvedAt: Timestamp?
    public var scheduledFor: Timestamp?
    public var scheduledUntil: Timestamp?
    public var updates: [Update]
    public var draft: Bool
    public var body: MarkdownSource
    /// Where `started_at` (or `scheduled_for`) is written, for diagnostics about the start.
    public var startLocation: SourceLocation?

    public enum Kind: String, Sendable, CaseIterable {
        case incident, maintenance
    }

    /// The Statuspage component statuses, worst last.
    public enum Severity: String, Sendable, CaseIterable {
        case degradedPerformance = "degraded_performance"
        case partialOutage = "partial_outage"
        case majorOutage = "major_outage"
        case underMaintenance = "under_maintenance"
    }

    public struct AffectedRef: Sendable, Hashable {
        public var service: String
        public var component: String?
        public var location: SourceLocation

        public var text: String { component.map { "\(service)/\($0)" } ?? service }
    }

    public struct Update: Sendable {
        public var at: Timestamp
        public var status: String
        public var body: String
        public var location: SourceLocation
        /// The language of `body` when a translation inherited it from the original
        /// (untranslated); nil: the incident's `lang`.
        public var lang: String? = nil
    }

    /// The language `title` is written in.
    public var titleLanguage: String { titleLang ?? lang }

    public static let incidentStatuses = ["investigating", "identified", "monitoring", "resolved"]
    /// A maintenance's own statuses; `cancelled` calls it off (see `EventPhase.cancelled`).
    public static let maintenanceStatuses = ["scheduled", "in_progress", "verifying", "completed", cancelledStatus]
    public static let cancelledStatus = "cancelled"

    /// When the event starts: `started_at` for incidents, `scheduled_for` for maintenance.
    public var start: Timestamp? { kind == .incident ? startedAt : scheduledFor }
    /// When it ends, if it has ended or is planned to end.
    public var end: Timestamp? { kind == .incident ? resolvedAt : scheduledUntil }
}
