import YourICTSupport

/// Where a service stands in its life, from a sheet's `lifecycle` field: announced,
/// tried, run, on its way out, or gone. It decides where the service is listed
/// (docs/content.md#lifecycle).
public struct Lifecycle: Sendable, Equatable {
    public enum Stage: String, Sendable, CaseIterable {
        /// Announced, not yet offered: in the catalogue, not on the dashboard.
        case planned
        /// Offered to some partners to try: listed everywhere, labelled.
        case pilot
        /// In service (the default).
        case production
        /// Still in service, to be retired (`until`): listed everywhere, labelled.
        case deprecated
        /// No longer offered (since `since`): out of every current list; its page and
        /// its SLA history stay.
        case retired
    }

    public var stage: Stage
    /// When the stage began: for `retired`, the day the service ended (required).
    public var since: CivilDate?
    /// When the stage is expected to end: the opening of a planned service, the move of
    /// a pilot to production, the retirement of a deprecated service.
    public var until: CivilDate?
    /// The service that takes over (deprecated and retired services).
    public var replacedBy: String?
    /// Where `replaced_by` is written, for the validator's diagnostics.
    public var replacedByLocation: SourceLocation?

    public init(stage: Stage = .production, since: CivilDate? = nil, until: CivilDate? = nil, replacedBy: String? = nil,
                replacedByLocation: SourceLocation? = nil) {
        self.stage = stage
        self.since = since
        self.until = until
        self.replacedBy = replacedBy
        self.replacedByLocation = replacedByLocation
    }

    /// In the catalogue, the search index and the APIs' lists: every stage but retired.
    public var isListed: Bool { stage != .retired }

    /// Running for partners, so it has a state now: on the dashboard and the Statuspage
    /// components, in the overall banner.
    public var isInOperation: Bool { stage == .pilot || stage == .production || stage == .deprecated }

    /// The same facts, wherever they are written (translations compare them).
    public static func == (a: Lifecycle, b: Lifecycle) -> Bool {
        a.stage == b.stage && a.since == b.since && a.until == b.until && a.replacedBy == b.replacedBy
    }

    /// `2026-06-01`: a calendar day, in the site's time zone where it becomes an instant.
    public static func parseDate(_ text: String) -> CivilDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for b in bytes[range] {
                guard (48...57).contains(b) else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m),
              (1...CivilDate.daysIn(month: m, year: y)).contains(d) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }
}
