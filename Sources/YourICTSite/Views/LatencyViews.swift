import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMonitoring

/// Response times on service pages: p50 and p95 per window, and a 90-day chart per
/// measured component drawn by the theme as static SVG, with its figures as a table.
extension ViewBuilder {
    /// The section of a service page; nil when nothing of the service has response times
    /// (nothing is shown then, never a zero).
    func latencyContext(_ sheet: ServiceSheet, status s: ServiceStatus, lang: String) -> ViewContext? {
        guard let overall = s.overall.latency else { return nil }
        let strings = self.strings(lang)
        let format = self.format(lang)
        var c: ViewContext = [:]
        c["windows"] = WindowKey.allCases.map { key -> ViewContext in
            var w: ViewContext = ["key": key.rawValue, "label": strings["window_" + key.rawValue] ?? key.rawValue]
            if let summary = overall.windows[key] {
                w["has_data"] = true
                w["p50"] = Self.latencyText(summary.p50, format: format)
                w["p95"] = Self.latencyText(summary.p95, format: format)
                w["samples"] = String(summary.samples)
            }
            return w
        }
        let dates = s.overall.days.map(\.date)
        var charts: [ViewContext] = []
        // A chart of days draws only figures with a day: samples of the 90-day window that
        // fall before its first day gave a chart "measured on 0 days, median from 0 ms to 0 ms".
        func hasDays(_ figures: LatencyFigures) -> Bool { figures.days.contains { $0 != nil } }
        if sheet.components.isEmpty {
            if hasDays(overall) { charts.append(latencyChart(overall, dates: dates, id: "rt_" + sheet.id, name: sheet.title, lang: lang)) }
        } else {
            for component in sheet.components {
                guard let figures = s.component(component.id)?.latency, hasDays(figures) else { continue }
                charts.append(latencyChart(figures, dates: dates, id: "rt_" + component.id, name: component.name, lang: lang))
            }
        }
        // A chart names its service or component as the sheet writes it.
        let nameLang = Self.contentLang(sheet.components.isEmpty ? sheet.lang(of: .title) : sheet.lang(of: .components), page: lang)
        c["charts"] = charts.map { chart in
            var chart = chart
            chart["content_lang"] = nameLang
            return chart
        }
        c["several_charts"] = charts.count > 1
        return c
    }

    /// One chart: geometry for the theme's SVG, the sentences that describe it, and the
    /// rows of its table (from the first day with a figure).
    func latencyChart(_ figures: LatencyFigures, dates: [CivilDate], id: String, name: String, lang: String) -> ViewContext {
        let strings = self.strings(lang)
        let format = self.format(lang)
        let geometry = LatencyChartGeometry(days: figures.days)
        let measured = figures.days.compactMap { $0 }
        var c: ViewContext = [
            "id": id,
            "name": name,
            "title": (strings["response_times_chart_title"] ?? "Daily response times — {name}").replacingEvery("{name}", with: name),
            "width": String(LatencyChartGeometry.width),
            "height": String(LatencyChartGeometry.height),
            "plot_left": String(LatencyChartGeometry.left),
            "plot_right": String(LatencyChartGeometry.right),
            "plot_bottom": String(LatencyChartGeometry.bottom),
            "p50_path": geometry.path(\.p50),
            "p95_path": geometry.path(\.p95),
            "grid": geometry.ticks.map { tick -> ViewContext in
                ["y": LatencyChartGeometry.number(tick.y), "label_y": LatencyChartGeometry.number(tick.y + 4),
                 "label_x": String(LatencyChartGeometry.left - 6),
                 "label": Self.latencyText(tick.value, format: format, trimmingZeros: true)]
            },
            "x_labels": LatencyChartGeometry.dateLabelDays(count: dates.count).map { index -> ViewContext in
                let anchor = index == 0 ? "start" : index == dates.count - 1 ? "end" : "middle"
                return ["x": LatencyChartGeometry.number(LatencyChartGeometry.x(index, count: dates.count, anchor: anchor)),
                        "y": String(LatencyChartGeometry.bottom + 18), "anchor": anchor,
                        "label": index < dates.count ? format.date(dates[index]) : ""]
            },
        ]
        if let first = dates.first, let last = dates.last {
            func range(_ values: [Double]) -> (String, String) {
                (Self.latencyText(values.min() ?? 0, format: format), Self.latencyText(values.max() ?? 0, format: format))
            }
            let (p50Min, p50Max) = range(measured.map(\.p50))
            let (p95Min, p95Max) = range(measured.map(\.p95))
            let days = measured.count
            let measuredDays = (strings[days == 1 ? "response_times_days_one" : "response_times_days"] ?? "{n}")
                .replacingEvery("{n}", with: String(days))
            c["desc"] = (strings["response_times_chart_desc"] ?? "")
                .replacingEvery("{measured_days}", with: measuredDays)
                .replacingEvery("{from}", with: format.date(first)).replacingEvery("{to}", with: format.date(last))
                .replacingEvery("{p50_min}", with: p50Min).replacingEvery("{p50_max}", with: p50Max)
                .replacingEvery("{p95_min}", with: p95Min).replacingEvery("{p95_max}", with: p95Max)
                .replacingEvery("{days}", with: String(measured.count))
        }
        let firstMeasured = figures.days.firstIndex { $0 != nil } ?? figures.days.count
        c["rows"] = zip(dates, figures.days).dropFirst(firstMeasured).map { date, day -> ViewContext in
            var row: ViewContext = ["date": format.date(date), "iso": date.isoString]
            if let day {
                row["has_data"] = true
                row["p50"] = Self.latencyText(day.p50, format: format)
                row["p95"] = Self.latencyText(day.p95, format: format)
                row["samples"] = String(day.samples)
            }
            return row
        }
        return c
    }

    /// `212 ms`, `48,3 ms`, `1,23 s`: three significant digits (`LatencySummary.rounded`),
    /// a no-break space before the unit. `trimmingZeros`: for the round values of an
    /// axis (`1 s`, not `1,00 s`).
    static func latencyText(_ ms: Double, format: LocaleFormat, trimmingZeros: Bool = false) -> String {
        let value = LatencySummary.rounded(ms)
        let (shown, unit) = value >= 1000 ? (value / 1000, "s") : (value, "ms")
        var decimals = 0
        if shown > 0 {
            var magnitude = 100.0
            while shown < magnitude * (1 - 1e-9), decimals < 9 { magnitude /= 10; decimals += 1 }
        }
        var text = format.number(shown, decimals: decimals)
        if trimmingZeros, decimals > 0 {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(format.decimalSeparator) { text.removeLast(format.decimalSeparator.count) }
        }
        return text + "\u{A0}" + unit
    }
}

/// Where a response-time chart puts things, in the units of its `viewBox`: 90 days side
/// by side, a linear scale from 0 to a round value above the highest p95.
struct LatencyChartGeometry {
    static let width = 720, height = 220
    static let left = 64, right = 712, top = 12, bottom = 188
    /// The days that get a date under the axis: first, a third, two thirds, today.
    static func dateLabelDays(count: Int) -> [Int] { count > 0 ? [0, 30, 60, count - 1].filter { $0 < count } : [] }

    let days: [LatencySummary?]
    /// The top of the scale, in milliseconds.
    let scaleTop: Double
    let step: Double

    init(days: [LatencySummary?]) {
        self.days = days
        // Probes answering within the millisecond record 0 ms: the scale still needs a
        // height (dividing by a top of 0 gave NaN coordinates, and the build trapped).
        let highest = days.compactMap { $0?.p95 }.filter(\.isFinite).max().map { max($0, 1) } ?? 1
        // A step of 1, 2 or 5 × 10^k, so that at most five steps reach the highest value.
        var step = 0.001
        let multipliers = [2.0, 2.5, 2.0]
        var i = 0
        while highest / step > 5 {
            step *= multipliers[i % 3]
            i += 1
        }
        self.step = step
        scaleTop = (highest / step).rounded(.up) * step
    }

    /// `count`: the days of the history, 90 (fewer where the zone skipped a date).
    static func x(_ index: Int, count: Int = 90, anchor: String = "middle") -> Double {
        let slot = Double(right - left) / Double(max(1, count))
        switch anchor {
        case "start": return Double(left)
        case "end": return Double(right)
        default: return Double(left) + (Double(index) + 0.5) * slot
        }
    }

    func y(_ ms: Double) -> Double {
        Double(Self.bottom) - ms / scaleTop * Double(Self.bottom - Self.top)
    }

    var ticks: [(value: Double, y: Double)] {
        var out: [(Double, Double)] = []
        var value = 0.0
        while value <= scaleTop * (1 + 1e-9) {
            out.append((value, y(value)))
            value += step
        }
        return out
    }

    /// An SVG path through the days that have a figure, broken where a day has none; a
    /// day alone between gaps is a short level stroke, so that it shows.
    func path(_ value: KeyPath<LatencySummary, Double>) -> String {
        var parts: [String] = []
        var run: [(Double, Double)] = []
        func flush() {
            if run.count == 1 {
                parts.append("M\(Self.number(run[0].0 - 3)) \(Self.number(run[0].1))h6")
            } else if run.count > 1 {
                parts.append("M" + run.map { "\(Self.number($0.0)) \(Self.number($0.1))" }.joined(separator: "L"))
            }
            run.removeAll()
        }
        for (index, day) in days.enumerated() {
            guard let day else { flush(); continue }
            run.append((Self.x(index, count: days.count), y(day[keyPath: value])))
        }
        flush()
        return parts.joined()
    }

    /// One decimal at most, no trailing `.0`: short and the same on every machine.
    static func number(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }
}
