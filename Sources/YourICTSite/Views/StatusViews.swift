import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTMonitoring
import YourICTContent

/// How states, availability figures and history days look in templates: words and an
/// icon for every state (never colour alone), and figures as text.
extension ViewBuilder {
    func stateContext(_ state: ComponentState, lang: String) -> ViewContext {
        let strings = self.strings(lang)
        let key = "status_" + state.statusName
        return [
            "key": state.statusName,
            "label": strings[key] ?? state.statusName,
            "icon": Self.icon(state),
            "is_operational": state == .up,
            "is_problem": state == .down || state == .partial || state == .degraded,
        ]
    }

    /// A state now, with what qualifies it: the time of the last sample when the data is
    /// late, "from declared incidents" when nothing monitors it.
    func stateContext(_ current: CurrentState, lang: String) -> ViewContext {
        var c = stateContext(current.state, lang: lang)
        let strings = self.strings(lang)
        c["key"] = current.name
        c["label"] = strings["status_" + current.name] ?? current.name
        if current.state == .noData, current.isLate, let t = current.lastData {
            c["state_note"] = ["text": strings["last_sample"] ?? "last sample",
                               "time": ["text": format(lang).dateTime(t, calendar: calendar), "iso": t.iso8601UTC] as ViewContext] as ViewContext
        } else if current.isUnmonitored, current.state != .noData {
            c["state_note"] = ["text": strings["from_declared_incidents"] ?? "from declared incidents"] as ViewContext
        }
        return c
    }

    /// Characters that read the same in every font and survive forced-colour modes.
    static func icon(_ state: ComponentState) -> String {
        switch state {
        case .up: return "✓"
        case .degraded: return "◐"
        case .partial: return "▲"
        case .down: return "✕"
        case .maintenance: return "⚙"
        case .noData: return "?"
        }
    }

    /// One availability figure against a target: the verdict, or "insufficient data"
    /// when too little of the window has a known state; labelled when it comes from
    /// declared incidents.
    /// `inProgress`: the figure of a month not over yet, which gets no met/missed verdict.
    func figureContext(_ tally: StateTally, target: Double?, source: FigureSource = .monitoring, inProgress: Bool = false, lang: String) -> ViewContext {
        let format = self.format(lang)
        let strings = self.strings(lang)
        let weight = status?.partialWeight ?? 1
        var c: ViewContext = [:]
        if let coverage = tally.coverage { c["coverage"] = Self.coverageText(coverage, format: format) }
        if source == .incidents { c["figure_source"] = strings["from_declared_incidents"] ?? "from declared incidents" }
        guard let value = tally.availability(partialWeight: weight) else {
            c["text"] = strings["no_data"] ?? "no data"
            c["has_data"] = false
            return c
        }
        c["text"] = format.availability(value)
        c["value"] = JSONText.number((value * 10_000).rounded() / 10_000)
        c["has_data"] = true
        // To a tenth of a minute, as the allowance it is judged against (`43,2 min`): in whole
        // minutes, 43.2 of an allowed 43.2 read "44 min" beside "target met" and "43 min allowed".
        c["downtime"] = format.minutes(tally.downtime(partialWeight: weight) / 60_000, roundingUp: true)
        c["has_downtime"] = tally.down + tally.partial > 0
        if let target {
            let verdict = tally.verdict(target: target, partialWeight: weight, minimumCoverage: status?.minimumCoverage ?? SiteConfig.defaultMinimumCoverage,
                                        inProgress: inProgress)
            switch verdict {
            case .met, .missed:
                let met = verdict == .met
                c["met"] = met
                c["verdict"] = met ? (strings["target_met"] ?? "met") : (strings["target_breached"] ?? "breached")
                c["verdict_icon"] = met ? "✓" : "✕"
            case .insufficient(let coverage):
                c["insufficient"] = (strings["insufficient_data"] ?? "insufficient data ({n} measured)")
                    .replacingEvery("{n}", with: Self.coverageText(coverage, format: format))
            case .inProgress:
                c["verdict_pending"] = strings["verdict_pending"] ?? "month in progress: no verdict yet"
            case .noData:
                break
            }
        }
        // In the same unit as the downtime beside it, rounded down as the SLA report's.
        if tally.maintenance > 0 { c["maintenance"] = format.minutes(Double(tally.maintenance) / 60_000, roundingUp: false) }
        if tally.noData > 0, tally.measured > 0 { c["no_data_time"] = format.duration(Duration(millis: tally.noData)) }
        return c
    }

    /// The target a service's months are judged against: none for a service not open yet
    /// (planned), which is measured but not judged — as the monthly overview leaves it out,
    /// its own reports gave "target breached" for time before it opened.
    static func judgedTarget(_ s: ServiceStatus) -> Double? { s.isPlanned ? nil : s.target }

    /// Whether `month` is not over at the reference time: its figures run to it, and it
    /// gets no verdict yet.
    func isInProgress(_ month: YearMonth) -> Bool {
        guard let reference = status?.referenceTime else { return false }
        return calendar.startOfMonth(month.next) > reference
    }

    /// Allowed downtime beside the downtime `used` (minutes): one decimal rounded down, as
    /// allowances are, unless the budget was kept and the downtime, rounded up, would then
    /// read above it: 43.14 allowed and 43.12 used read "43,2 min" used beside "43,1 min"
    /// allowed and "target met". Rounded up then, it is never below the downtime shown.
    static func allowanceText(_ allowed: Double, used: Double, format: LocaleFormat) -> String {
        // As `LocaleFormat.minutes` rounds, in tenths.
        let usedShown = (used * 10 - 1e-7).rounded(.up), allowedShown = (allowed * 10 + 1e-7).rounded(.down)
        return format.minutes(allowed, roundingUp: used <= allowed && usedShown > allowedShown)
    }

    /// A coverage in percent: one decimal rounded down (89.99 % is not 90 %), and
    /// `100 %` only when whole.
    static func coverageText(_ value: Double, format: LocaleFormat) -> String {
        value >= 100 ? format.percentPattern.replacingEvery("{n}", with: "100") : format.availability(value, decimals: 1)
    }

    /// The 90-day strip: one entry per day with its state, figure and a sentence for
    /// screen readers and tooltips.
    /// Empty when nothing was measured on any of the days: a strip of ninety "no data"
    /// days says less than one sentence, and weighs a lot on a dashboard of thousands.
    /// With `service`, each day of a month that has an SLA report links to its row there
    /// (`day_url`).
    func historyContext(_ entity: EntityStatus, service: String? = nil, lang: String) -> [ViewContext] {
        guard entity.days.contains(where: { $0.tally.worst != .noData }) else { return [] }
        let format = self.format(lang)
        let texts = stripTexts[lang] ?? StripTexts(days: [], format: format, strings: strings(lang))
        let weight = status?.partialWeight ?? 1
        let reports = Set(entity.months.map(\.month))
        // Within one strip, days mostly repeat their figure and month.
        var figure: (value: Double, text: String)?
        var reportURL: (month: YearMonth, url: String)?
        return entity.days.enumerated().map { position, day in
            let state = day.tally.worst
            let date = texts.date(day.date, at: position, format: format)
            var c: ViewContext = [
                "date": date.text,
                "iso": date.iso,
                "state": state.statusName,
                "state_label": texts.stateLabels[Int(state.rawValue)],
                "icon": Self.icon(state),
            ]
            var summary = date.text + texts.colon
            if let value = day.tally.availability(partialWeight: weight) {
                if figure?.value != value { figure = (value, format.availability(value)) }
                c["figure"] = figure!.text
                summary += figure!.text
                let downtime = day.tally.downtime(partialWeight: weight)
                if downtime > 0 {
                    let text = format.duration(Duration(millis: Int64(downtime.rounded())))
                    c["downtime"] = text
                    summary += ", " + texts.downtime + " " + text
                }
            } else {
                c["figure"] = texts.noData
                summary += texts.noData
            }
            if day.tally.maintenance > 0 {
                let text = format.duration(Duration(millis: day.tally.maintenance))
                c["maintenance"] = text
                summary += ", " + texts.maintenance + " " + text
            }
            // A figure from part of the day says how much of it was not measured.
            if day.tally.noData > 0, day.tally.measured > 0 {
                let text = format.duration(Duration(millis: day.tally.noData))
                c["no_data_time"] = text
                summary += ", " + texts.unmeasured + " " + text
            }
            c["summary"] = summary
            let month = day.date.yearMonth
            if let service, reports.contains(month) {
                if reportURL?.month != month { reportURL = (month, urls.url(.slaReport(service: service, month: month), lang: lang) + "#") }
                c["day_url"] = reportURL!.url + date.anchor
            }
            return c
        }
    }

    /// What every 90-day strip of a language writes the same way: each day's date, its
    /// ISO form and anchor, the states' labels and the words of the summaries. Made once
    /// per generation, as the dashboard of a large site draws thousands of strips.
    struct StripTexts: Sendable {
        struct DayText: Sendable {
            var date: CivilDate
            var text: String
            var iso: String
            var anchor: String
        }
        /// The report's days, in its order (every entity's strip has the same).
        var days: [DayText]
        /// The days of the months that have SLA reports.
        var monthDays: [CivilDate: DayText]
        /// By `ComponentState.rawValue`.
        var stateLabels: [String]
        var noData: String
        var colon: String
        var downtime: String
        var maintenance: String
        var unmeasured: String

        init(days: [CivilDate], monthDays: [CivilDate] = [], format: LocaleFormat, strings: [String: String]) {
            func text(_ date: CivilDate) -> DayText { DayText(date: date, text: format.date(date), iso: date.isoString, anchor: ViewBuilder.dayAnchor(date)) }
            self.days = days.map(text)
            self.monthDays = Dictionary(monthDays.map { ($0, text($0)) }, uniquingKeysWith: { a, _ in a })
            stateLabels = ComponentState.allCases.sorted { $0.rawValue < $1.rawValue }.map { strings["status_" + $0.statusName] ?? $0.statusName }
            noData = strings["no_data"] ?? "no data"
            colon = strings["colon"] ?? ": "
            downtime = strings["downtime"] ?? "downtime"
            maintenance = strings["maintenance"] ?? "maintenance"
            unmeasured = strings["unmeasured"] ?? "not measured"
        }

        /// The texts of `date`, the `position`-th day of a strip.
        func date(_ date: CivilDate, at position: Int, format: LocaleFormat) -> DayText {
            if position < days.count, days[position].date == date { return days[position] }
            return self.date(date, format: format)
        }

        /// The texts of `date`, a day of a month with SLA reports.
        func date(_ date: CivilDate, format: LocaleFormat) -> DayText {
            monthDays[date] ?? DayText(date: date, text: format.date(date), iso: date.isoString, anchor: ViewBuilder.dayAnchor(date))
        }
    }

    /// A month's days and the instants they begin (and the next month's first), in the
    /// site's time zone: asked of the time zone once per generation, not on each of the
    /// thousands of SLA reports of the month.
    /// A date the zone skipped (Pacific/Apia's 30 December 2011) has no instant and is no
    /// day of the month: it is left out, and the days after it are not.
    struct MonthDays: Sendable {
        var dates: [CivilDate] = []
        /// One more than `dates`: the last is the start of the next month.
        var starts: [Int64] = []

        init(_ month: YearMonth, calendar: ZonedCalendar) {
            var date = month.firstDay
            var start = calendar.startOfDay(date).millis
            while date.yearMonth == month {
                let next = date.adding(days: 1)
                let nextStart = calendar.startOfDay(next).millis
                if nextStart > start {
                    dates.append(date)
                    starts.append(start)
                }
                date = next
                start = nextStart
            }
            starts.append(start)
        }
    }

    /// The id of a day's row in its month's SLA report, which the history strips link to:
    /// a prefix and data joined by `_`, which no heading slug holds (docs/theme.md).
    static func dayAnchor(_ date: CivilDate) -> String { "day_" + date.isoString }

    /// The figures of every window, in display order.
    func windowsContext(_ entity: EntityStatus, target: Double?, lang: String) -> [ViewContext] {
        let strings = self.strings(lang)
        return WindowKey.allCases.map { key in
            // The SLA is judged on 30 days (and on each month in its report); a verdict on
            // 24 hours would be noise.
            var c = figureContext(entity.windows[key] ?? StateTally(), target: key == .d30 ? target : nil, source: entity.source, lang: lang)
            c["key"] = key.rawValue
            c["label"] = strings["window_" + key.rawValue] ?? key.rawValue
            return c
        }
    }
}
