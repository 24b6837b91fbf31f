import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTMonitoring

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

    /// One availability figure against a target.
    func figureContext(_ tally: StateTally, target: Double?, lang: String) -> ViewContext {
        let format = self.format(lang)
        let strings = self.strings(lang)
        let weight = status?.partialWeight ?? 1
        guard let value = tally.availability(partialWeight: weight) else {
            return ["text": strings["no_data"] ?? "no data", "has_data": false]
        }
        var c: ViewContext = [
            "text": format.availability(value),
            "value": JSONText.number((value * 10_000).rounded() / 10_000),
            "has_data": true,
            "downtime": format.duration(Duration(millis: Int64(tally.downtime(partialWeight: weight).rounded()))),
            "has_downtime": tally.down + tally.partial > 0,
        ]
        if let target {
            let met = value + 1e-9 >= target
            c["met"] = met
            c["verdict"] = met ? (strings["target_met"] ?? "met") : (strings["target_breached"] ?? "breached")
            c["verdict_icon"] = met ? "✓" : "✕"
        }
        if tally.maintenance > 0 { c["maintenance"] = format.duration(Duration(millis: tally.maintenance)) }
        if tally.noData > 0, tally.measured > 0 { c["no_data_time"] = format.duration(Duration(millis: tally.noData)) }
        return c
    }

    /// The 90-day strip: one entry per day with its state, figure and a sentence for
    /// screen readers and tooltips.
    /// Empty when nothing was measured on any of the days: a strip of ninety "no data"
    /// days says less than one sentence, and weighs a lot on a dashboard of thousands.
    func historyContext(_ entity: EntityStatus, lang: String) -> [ViewContext] {
        guard entity.days.contains(where: { $0.tally.worst != .noData }) else { return [] }
        let format = self.format(lang)
        let strings = self.strings(lang)
        let weight = status?.partialWeight ?? 1
        return entity.days.map { day in
            let state = day.tally.worst
            var c: ViewContext = [
                "date": format.date(day.date),
                "iso": day.date.isoString,
                "state": state.statusName,
                "state_label": strings["status_" + state.statusName] ?? state.statusName,
                "icon": Self.icon(state),
            ]
            if let value = day.tally.availability(partialWeight: weight) {
                c["figure"] = format.availability(value)
                let downtime = day.tally.downtime(partialWeight: weight)
                if downtime > 0 { c["downtime"] = format.duration(Duration(millis: Int64(downtime.rounded()))) }
            } else {
                c["figure"] = strings["no_data"] ?? "no data"
            }
            if day.tally.maintenance > 0 { c["maintenance"] = format.duration(Duration(millis: day.tally.maintenance)) }
            var summary = "\(c["date"]!)\(strings["colon"] ?? ": ")\(c["figure"]!)"
            if let downtime = c["downtime"] { summary += ", \(strings["downtime"] ?? "downtime") \(downtime)" }
            if let m = c["maintenance"] { summary += ", \(strings["maintenance"] ?? "maintenance") \(m)" }
            c["summary"] = summary
            return c
        }
    }

    /// The figures of every window, in display order.
    func windowsContext(_ entity: EntityStatus, target: Double?, lang: String) -> [ViewContext] {
        let strings = self.strings(lang)
        return WindowKey.allCases.map { key in
            // The SLA is judged on 30 days (and on each month in its report); a verdict on
            // 24 hours would be noise.
            var c = figureContext(entity.windows[key] ?? StateTally(), target: key == .d30 ? target : nil, lang: lang)
            c["key"] = key.rawValue
            c["label"] = strings["window_" + key.rawValue] ?? key.rawValue
            return c
        }
    }
}
