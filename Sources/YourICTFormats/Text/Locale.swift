import YourICTSupport

/// How numbers, dates and durations are written in one language. Read from the
/// `locale:` section of `templates/i18n/<lang>.yaml`, so a theme can adjust it.
public struct LocaleFormat: Sendable {
    public var decimalSeparator: String = "."
    /// Between groups of three digits in large numbers: `39,000.0 min`, `39 000,0 min`.
    public var groupSeparator: String = ","
    /// `{n}` is replaced by the number: `{n}%` in English, `{n} %` in French.
    public var percentPattern: String = "{n}%"
    public var months: [String] = ["January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"]
    /// `{d}`, `{month}`, `{yyyy}`.
    public var datePattern: String = "{d} {month} {yyyy}"
    /// `{d}` on the first of a month, where the language says it otherwise: `1er` in French.
    public var firstDay: String? = nil
    /// `{date}`, `{time}`, `{offset}`.
    public var dateTimePattern: String = "{date}, {time} ({offset})"
    /// `{month}`, `{yyyy}`.
    public var monthPattern: String = "{month} {yyyy}"
    public var minutesAbbreviation: String = "min"
    /// Decimals of availability figures: 2, or as many as the most precise target a
    /// figure is judged against (`SiteConfig.availabilityDecimals`).
    public var availabilityDecimals = 2
    public var hoursAbbreviation: String = "h"
    public var daysAbbreviation: String = "d"

    public init() {}

    /// A number with a fixed count of decimals, rounded half away from zero.
    public func number(_ value: Double, decimals: Int) -> String {
        let text = fixed(value, decimals: decimals, mode: .toNearestOrAwayFromZero)
        return decimalSeparator == "." ? text : text.replacingEvery(".", with: decimalSeparator)
    }

    /// An availability figure. Rounded *down*, so a measurement never reads better than
    /// it is (99.8996 % shows as 99.89 %, not as a target-meeting 99.90 %).
    public func availability(_ value: Double, decimals: Int? = nil) -> String {
        var text = fixed(value, decimals: decimals ?? availabilityDecimals, mode: .down)
        if decimalSeparator != "." { text = text.replacingEvery(".", with: decimalSeparator) }
        return percentPattern.replacingEvery("{n}", with: text)
    }

    /// A target such as 99.9 % with as many decimals as it was written with.
    public func target(_ value: Double) -> String {
        var text = JSONText.number(value)
        if decimalSeparator != "." { text = text.replacingEvery(".", with: decimalSeparator) }
        return percentPattern.replacingEvery("{n}", with: text)
    }

    public func date(_ date: CivilDate) -> String {
        datePattern.replacingEvery("{d}", with: date.day == 1 ? firstDay ?? "1" : String(date.day))
            .replacingEvery("{dd}", with: twoDigits(date.day))
            .replacingEvery("{month}", with: months[date.month - 1])
            .replacingEvery("{yyyy}", with: String(date.year))
    }

    public func month(_ month: YearMonth) -> String {
        monthPattern.replacingEvery("{month}", with: months[month.month - 1])
            .replacingEvery("{yyyy}", with: String(month.year))
    }

    public func dateTime(_ t: Timestamp, calendar: ZonedCalendar) -> String {
        let local = calendar.localTime(of: t)
        let time = "\(twoDigits(local.hour)):\(twoDigits(local.minute))"
        return dateTimePattern.replacingEvery("{date}", with: date(local.date))
            .replacingEvery("{time}", with: time)
            .replacingEvery("{offset}", with: Self.offsetText(calendar.offsetSeconds(at: t)))
    }

    /// The two ends of a range, written for " – " between them. On one day in one offset
    /// the date and offset are said once: `5 December 2026, 06:00` – `08:00 (UTC+01:00)`;
    /// otherwise each end in full. The split follows `datetime`, whatever its order.
    public func dateTimeRange(_ start: Timestamp, _ end: Timestamp, calendar: ZonedCalendar) -> (start: String, end: String) {
        let from = calendar.localTime(of: start), to = calendar.localTime(of: end)
        let offset = calendar.offsetSeconds(at: start)
        guard from.date == to.date, offset == calendar.offsetSeconds(at: end), dateTimePattern.contains("{time}") else {
            return (dateTime(start, calendar: calendar), dateTime(end, calendar: calendar))
        }
        let filled = dateTimePattern.replacingEvery("{date}", with: date(from.date))
            .replacingEvery("{offset}", with: Self.offsetText(offset))
        let halves = filled.components(separatedBy: "{time}")
        let before = halves[0], after = halves.dropFirst().joined(separator: "{time}")
        return (before + time(start, calendar: calendar), time(end, calendar: calendar) + after)
    }

    public func time(_ t: Timestamp, calendar: ZonedCalendar) -> String {
        let local = calendar.localTime(of: t)
        return "\(twoDigits(local.hour)):\(twoDigits(local.minute))"
    }

    /// `UTC+01:00`.
    public static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return "UTC\(sign)\(twoDigits(a / 3600)):\(twoDigits(a / 60 % 60))"
    }

    /// `2 d 3 h`, `1 h 28 min`, `47 min`, `0 min`: two units at most. Downtime rounds
    /// up, so that a short outage never shows as none; an allowance rounds down, so
    /// that it never promises more than the target grants.
    public func duration(_ d: Duration, roundingUp: Bool = true) -> String {
        let totalMinutes = Int(roundingUp ? (d.millis + 59_999) / 60_000 : d.millis / 60_000)
        let days = totalMinutes / 1440, hours = totalMinutes / 60 % 24, minutes = totalMinutes % 60
        // Every part that is not zero: an outage of 1 day 2 h 59 min is not "1 d 2 h".
        let parts = [(days, daysAbbreviation), (hours, hoursAbbreviation), (minutes, minutesAbbreviation)].filter { $0.0 > 0 }
        guard !parts.isEmpty else { return "0 \(minutesAbbreviation)" }
        return parts.map { "\($0.0) \($0.1)" }.joined(separator: " ")
    }

    /// Minutes with one decimal, for error budgets and downtime (`43,2 min`): used time
    /// rounds up, allowed time down, so a budget never reads as kept when it was overrun.
    /// Digits are grouped, and an hour or more is also given as a duration, to the nearest
    /// minute (the figure before it is the exact one, so 129.6 minutes allowed and 129.6
    /// used both read `(2 h 10 min)`): `39 000,0 min (27 j 2 h)`.
    public func minutes(_ value: Double, roundingUp: Bool) -> String {
        let text = fixed(value, decimals: 1, mode: roundingUp ? .up : .down)
        let point = text.firstIndex(of: ".") ?? text.endIndex
        var integer = String(text[..<point])
        let negative = integer.hasPrefix("-")
        if negative { integer.removeFirst() }
        var grouped = ""
        for (i, digit) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { grouped += groupSeparator }
            grouped.append(digit)
        }
        let decimals = point < text.endIndex ? decimalSeparator + text[text.index(after: point)...] : ""
        let figure = "\(negative ? "-" : "")\(grouped)\(decimals) \(minutesAbbreviation)"
        guard value >= 60 else { return figure }
        return "\(figure) (\(duration(Duration(millis: Int64(value.rounded()) * 60_000), roundingUp: false)))"
    }

    private func fixed(_ value: Double, decimals: Int, mode: FloatingPointRoundingRule) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        // A tiny nudge absorbs binary representation error (99.9 * 100 = 9989.999…).
        let nudge = mode == .down ? 1e-7 : mode == .up ? -1e-7 : 0
        let scaled = (value * scale + nudge).rounded(mode)
        // No figure a build shows is near Int64's range; one that is (an input gone
        // wrong) is written whole rather than trapping and leaving the site unbuilt.
        guard abs(scaled) < 9e18 else { return String(describing: value) }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let integer = magnitude / Int64(scale)
        var text = (negative ? "-" : "") + String(integer)
        if decimals > 0 {
            text += "." + String(magnitude % Int64(scale)).leftPadded(to: decimals)
        }
        return text
    }
}
