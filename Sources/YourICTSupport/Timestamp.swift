import Foundation

/// An instant, in milliseconds since the Unix epoch (UTC). Integers keep availability
/// arithmetic exact and the output byte-identical across machines.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var millis: Int64

    public init(millis: Int64) { self.millis = millis }
    public init(seconds: Int64) { self.millis = seconds * 1000 }

    /// The instants monitoring data and the reference time may take: 1970-01-01 to the
    /// end of 9999, what RFC 3339 can write. Further is a mistake in the data, and would
    /// make calendars and month lists run for millions of years.
    public static let supportedRange: ClosedRange<Int64> = 0...253_402_300_799_999

    /// The instants a reference time or an event's time may take: a day inside
    /// `supportedRange` at each end, so that their local dates, in any time zone, are of
    /// 1970 to 9999 (9999-12-31T23:59:59Z is year 10000 in Brussels: folders `sla/10000-01`,
    /// and API times that RFC 3339 cannot write).
    public static let localRange: ClosedRange<Int64> = 86_400_000...(253_402_300_799_999 - 86_400_000)

    /// The wall clock, in whole seconds (as the pages and APIs write times). Read by the
    /// command line only, once per build, as the default reference time.
    public static func clock() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millis < rhs.millis }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp { Timestamp(millis: lhs.millis + rhs.millis) }
    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp { Timestamp(millis: lhs.millis - rhs.millis) }
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration { Duration(millis: lhs.millis - rhs.millis) }

    /// RFC 3339 in UTC with a `Z`, seconds precision (milliseconds when not whole).
    public var description: String { iso8601UTC }

    public var iso8601UTC: String {
        let (days, msOfDay) = millis.floorDivided(by: 86_400_000)
        let date = CivilDate(daysSinceEpoch: Int(days))
        let seconds = msOfDay / 1000, ms = msOfDay % 1000
        var text = "\(date.isoString)T\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))"
        if ms != 0 { text += "." + String(ms).leftPadded(to: 3) }
        return text + "Z"
    }

    /// Parses RFC 3339 (`2026-11-03T09:12:00+01:00`, `…Z`, fractional seconds). A date
    /// without an offset is refused: the reader could not tell which instant is meant.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var v = 0
            for i in start..<start + count {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20,
              let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
              b[10] == 84 || b[10] == 116 || b[10] == 32,
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2),
              (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fractionMillis = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 100
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fractionMillis += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = digits(i + 1, 2), b.count > i + 3, b[i + 3] == 58, let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
        millis = (local - Int64(offsetSeconds)) * 1000 + Int64(fractionMillis)
    }
}

/// A length of time in milliseconds.
public struct Duration: Sendable, Hashable, Comparable {
    public var millis: Int64
    public init(millis: Int64) { self.millis = millis }
    public static func seconds(_ s: Int64) -> Duration { Duration(millis: s * 1000) }
    public static func minutes(_ m: Int64) -> Duration { Duration(millis: m * 60_000) }
    public static func hours(_ h: Int64) -> Duration { Duration(millis: h * 3_600_000) }
    public static func days(_ d: Int64) -> Duration { Duration(millis: d * 86_400_000) }
    public static let zero = Duration(millis: 0)
    public var minutes: Double { Double(millis) / 60_000 }
    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.millis < rhs.millis }
    public static func + (lhs: Duration, rhs: Duration) -> Duration { Duration(millis: lhs.millis + rhs.millis) }
}

/// A calendar date (proleptic Gregorian), without time zone.
public struct CivilDate: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Howard Hinnant's days-from-civil: exact for every date, no Foundation calendar needed.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        let d = daysSinceEpoch
        return ((d % 7 + 7) % 7 + 3) % 7 + 1
    }

    public var isoString: String { "\(String(year).leftPadded(to: 4))-\(twoDigits(month))-\(twoDigits(day))" }
    public var yearMonth: YearMonth { YearMonth(year: year, month: month) }
    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }
}

/// A calendar month, the unit of SLA reports.
public struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// `2026-11`, as used in report URLs.
    public var description: String { "\(String(year).leftPadded(to: 4))-\(twoDigits(month))" }
    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1) }
    public var next: YearMonth { month == 12 ? YearMonth(year: year + 1, month: 1) : YearMonth(year: year, month: month + 1) }
    public var previous: YearMonth { month == 1 ? YearMonth(year: year - 1, month: 12) : YearMonth(year: year, month: month - 1) }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }
}

/// Converts between instants and wall-clock time in the site's time zone (IANA tzdata
/// via Foundation), so that days and months start at local midnight across DST changes.
public struct ZonedCalendar: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public func offsetSeconds(at t: Timestamp) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.millis.floorDivided(by: 1000).quotient)))
    }

    public func localDate(of t: Timestamp) -> CivilDate {
        let local = t.millis + Int64(offsetSeconds(at: t)) * 1000
        return CivilDate(daysSinceEpoch: Int(local.floorDivided(by: 86_400_000).quotient))
    }

    /// Local wall time as (date, hour, minute, second).
    public func localTime(of t: Timestamp) -> (date: CivilDate, hour: Int, minute: Int, second: Int) {
        let local = t.millis + Int64(offsetSeconds(at: t)) * 1000
        let (days, ms) = local.floorDivided(by: 86_400_000)
        let s = Int(ms / 1000)
        return (CivilDate(daysSinceEpoch: Int(days)), s / 3600, s / 60 % 60, s % 60)
    }

    /// The instant of local midnight starting `date`. Where midnight does not exist
    /// (a DST gap at 00:00, as in Chile or Cuba), the first instant after the gap; where
    /// it happens twice, the first.
    public func startOfDay(_ date: CivilDate) -> Timestamp {
        let local = Int64(date.daysSinceEpoch) * 86_400_000
        // The wall time at an instant.
        func wall(_ t: Int64) -> Int64 { t + Int64(offsetSeconds(at: Timestamp(millis: t))) * 1000 }
        // The offsets in force a day either side: midnight is one of them, unless a gap
        // swallows it.
        let candidates = Set([local - 86_400_000, local + 86_400_000].map { local - Int64(offsetSeconds(at: Timestamp(millis: $0))) * 1000 }).sorted()
        if let exact = candidates.first(where: { wall($0) == local }) { return Timestamp(millis: exact) }
        // In the gap: the first instant whose wall time is at or past midnight, between
        // the candidates (the wall time only jumps forward there).
        var low = candidates.first!, high = candidates.last!
        guard wall(high) >= local, low < high else { return Timestamp(millis: high) }
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if wall(mid) >= local { high = mid } else { low = mid }
        }
        return Timestamp(millis: high)
    }

    public func startOfMonth(_ month: YearMonth) -> Timestamp { startOfDay(month.firstDay) }
}

extension Int64 {
    /// Division rounding toward negative infinity, with a non-negative remainder.
    func floorDivided(by d: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = self / d, r = self % d
        return r < 0 ? (q - 1, r + d) : (q, r)
    }
}

package func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
package func twoDigits(_ v: Int64) -> String { twoDigits(Int(v)) }

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
