import YourICTSupport
import YourICTTemplates
import YourICTContent
import YourICTMonitoring

/// Contexts of the dashboard, SLA reports, general pages and the site-wide pages.
extension ViewBuilder {
    func dashboard(lang: String) -> ViewContext {
        let strings = self.strings(lang)
        let site = content.site
        var c = frame(route: .dashboard, lang: lang, title: strings["dashboard_title"] ?? "Status",
                      description: site.description?.resolve(lang, fallback: site.defaultLanguage), kind: "dashboard")
        // Strips of thousands of services make a page no reader can load; their pages keep them.
        let strips = operatingServices.count <= site.dashboardMaxStrips
        c["categories"] = categoriesContext(lang: lang, withHistory: strips, listed: operatingServices)
        if !strips, status != nil { c["strips_on_service_pages"] = true }
        addCurrentEvents(sortedIncidents(lang: lang), to: &c, lang: lang)
        if let status, status.referenceTime != nil {
            let overall = status.overall
            var banner = stateContext(overall.state, lang: lang)
            banner["key"] = overall.name
            banner["message"] = strings["overall_" + overall.name] ?? banner["label"]
            // Late data is said even when another state leads the banner.
            let late = status.late
            if !late.services.isEmpty {
                var note: ViewContext = ["services": late.services.compactMap { id -> ViewContext? in
                    guard let sheet = content.service(id, in: lang) else { return nil }
                    var entry: ViewContext = ["title": sheet.title, "url": urls.url(.service(id), lang: lang)]
                    entry["content_lang"] = Self.contentLang(sheet.lang(of: .title), page: lang)
                    return entry
                }]
                if let since = late.since {
                    note["last_sample"] = ["text": format(lang).dateTime(since, calendar: calendar), "iso": since.iso8601UTC] as ViewContext
                }
                banner["late"] = note
            }
            c["overall"] = banner
            c["has_status"] = true
        }
        if let intro = content.page("introduction", in: lang) {
            var i: ViewContext = ["title": intro.title, "url": urls.url(.page("introduction"), lang: lang),
                                  "content_lang": Self.contentLang(intro.lang, page: lang)]
            if let summary = intro.summary.nonEmpty { i["summary"] = summary }
            c["intro"] = i
        }
        c["legend"] = [ComponentState.up, .degraded, .partial, .down, .maintenance, .noData].map { stateContext($0, lang: lang) }
        c["subscribe"] = subscribeContext(feed: .feed, calendar: .calendar, lang: lang, own: false)
        if let status, let reference = status.referenceTime, let month = SLAOverview.months(status).last {
            let format = self.format(lang)
            // The overview of the month in progress, or of the last month with figures.
            var sla: ViewContext = ["url": urls.url(.slaOverview(month), lang: lang), "month": format.month(month),
                                    "index_url": urls.url(.slaIndex, lang: lang)]
            if month == calendar.localDate(of: reference).yearMonth { sla["is_current"] = true }
            c["sla"] = sla
        }
        return c
    }

    /// The links to an Atom feed and a maintenance calendar (`partials/subscribe`): the
    /// site's, or with `own` a service's, whose link texts say "this service".
    func subscribeContext(feed: Route, calendar: Route, lang: String, own: Bool) -> ViewContext {
        let strings = self.strings(lang)
        return [
            "feed_url": urls.url(feed, lang: lang),
            "feed_label": strings[own ? "subscribe_service_feed" : "subscribe_feed"] ?? "Atom",
            "calendar_url": urls.url(calendar, lang: lang),
            "calendar_label": strings[own ? "subscribe_service_calendar" : "subscribe_calendar"] ?? "iCalendar",
        ]
    }

    func slaReport(_ id: String, month: YearMonth, lang: String) -> ViewContext? {
        guard let sheet = content.service(id, in: lang), let s = status?.services[id],
              let entry = s.overall.months.first(where: { $0.month == month }) else { return nil }
        let strings = self.strings(lang)
        let format = self.format(lang)
        let monthText = format.month(month)
        var c = frame(route: .slaReport(service: id, month: month), lang: lang,
                      title: "\(strings["sla_report_title"] ?? "SLA report") — \(sheet.title) — \(monthText)", description: nil, kind: "sla")
        var r = figureContext(entry.tally, target: Self.judgedTarget(s), source: s.overall.source, inProgress: isInProgress(month), lang: lang)
        r["service"] = ["title": sheet.title, "url": urls.url(.service(id), lang: lang),
                        "content_lang": Self.contentLang(sheet.lang(of: .title), page: lang)] as ViewContext
        r["month"] = monthText
        r["target"] = format.target(s.target)
        if let level = content.site.serviceLevel(sheet.serviceLevel) { r["level"] = levelContext(level, lang: lang) }
        let weight = status?.partialWeight ?? 1
        r["downtime_minutes"] = format.minutes(entry.tally.downtime(partialWeight: weight) / 60_000, roundingUp: true)
        r["maintenance_minutes"] = format.minutes(Double(entry.tally.maintenance) / 60_000, roundingUp: false)
        r["no_data_minutes"] = format.minutes(Double(entry.tally.noData) / 60_000, roundingUp: false)
        r["measured"] = format.duration(Duration(millis: entry.tally.measured))
        let allowed = Double(entry.tally.measured) / 60_000 * (100 - s.target) / 100
        r["allowed_minutes"] = Self.allowanceText(allowed, used: entry.tally.downtime(partialWeight: weight) / 60_000, format: format)
        let monthDays = self.monthDays[month] ?? MonthDays(month, calendar: calendar)
        let start = Timestamp(millis: monthDays.starts.first!)
        let nextMonth = Timestamp(millis: monthDays.starts.last!)
        // A retired service's last month ends the day it was retired.
        let end = min(nextMonth, s.figuresEnd ?? status!.referenceTime!)
        let period = format.dateTimeRange(start, end, calendar: calendar)
        r["period"] = "\(period.start) – \(period.end)"
        r["is_partial_month"] = end < nextMonth && s.isInOperation
        if let lifecycle = lifecycleContext(sheet.lifecycle, lang: lang) { r["lifecycle"] = lifecycle }
        r["overview_url"] = urls.url(.slaOverview(month), lang: lang)
        // Daily figures of the month.
        var days: [ViewContext] = []
        let texts = stripTexts[lang]
        // Days mostly repeat the day before (a whole day up): its figures are reused.
        var previous: (tally: StateTally, context: ViewContext)?
        for (i, date) in monthDays.dates.enumerated() {
            let ds = monthDays.starts[i]
            let de = min(monthDays.starts[i + 1], end.millis)
            if de <= ds { break }
            let tally = s.overall.timeline.tally(from: ds, to: de)
            if previous?.tally != tally { previous = (tally, figureContext(tally, target: nil, lang: lang)) }
            var day = previous!.context
            let text = texts?.date(date, format: format)
            day["date"] = text?.text ?? format.date(date)
            day["iso"] = text?.iso ?? date.isoString
            days.append(day)
        }
        r["days"] = days
        r["has_components"] = !sheet.components.isEmpty
        // Every component of the sheet: one with nothing measured in the month says so.
        r["components"] = sheet.components.map { component -> ViewContext in
            let cs = s.component(component.id)
            let tally = cs?.months.first(where: { $0.month == month })?.tally ?? StateTally()
            var cc = figureContext(tally, target: Self.judgedTarget(s), source: cs?.source ?? .monitoring, inProgress: isInProgress(month), lang: lang)
            cc["name"] = component.name
            cc["content_lang"] = Self.contentLang(sheet.lang(of: .components), page: lang)
            return cc
        }
        let reference = status!.referenceTime!
        let incidents = incidentsAffecting(id, lang: lang).filter { SLAOverview.overlaps($0, from: start, to: end, reference: reference) }
        r["incidents"] = incidents.map { incidentSummary($0, lang: lang) }
        r["has_incidents"] = !incidents.isEmpty
        c["report"] = r
        return c
    }

    func page(_ slug: String, lang: String) -> ViewContext? {
        guard let page = content.page(slug, in: lang) else { return nil }
        var c = frame(route: .page(slug), lang: lang, title: page.title, description: page.summary, kind: "page")
        if let fb = fallback(contentLang: page.lang, pageLang: lang) { c["fallback"] = fb }
        let (html, toc) = body(.init(.page, slug), lang: lang)
        var p: ViewContext = ["title": page.title, "body": html, "toc": toc, "has_toc": toc.count > 2]
        if let summary = page.summary.nonEmpty { p["summary"] = summary }
        c["content"] = p
        return c
    }

    /// The "page not found" of the site (`root`: `/404.html`, every language's home), or
    /// of one language (`/<lang>/404.html`: its menu, its home first, its catalogue).
    func notFound(lang: String, root: Bool = true) -> ViewContext {
        let strings = self.strings(lang)
        var c = frame(route: nil, lang: lang, title: strings["not_found_title"] ?? "Page not found", description: nil, kind: "404")
        let languages = root ? content.site.languages : [lang] + content.site.languages.filter { $0 != lang }
        c["homes"] = languages.map { other -> ViewContext in
            ["lang": other, "url": urls.url(.dashboard, lang: other), "name": theme.i18n.language(other).name,
             "label": theme.i18n.string("not_found_home", other)]
        }
        if !root {
            c["catalogue"] = ["url": urls.url(.catalogue, lang: lang), "label": strings["not_found_catalogue"] ?? "Catalogue"] as ViewContext
        }
        return c
    }

    /// `/index.html`: with several languages, a chooser that also says how the services
    /// are in each; with one, a redirect to it (a static page: `page.redirect` makes the
    /// layout write a meta refresh, and the page shows the link and its canonical).
    func languageChooser() -> ViewContext {
        let site = content.site
        let lang = site.defaultLanguage
        // The tab says what to do, in each language (the site's title follows it).
        var prompts: [String] = []
        for other in site.languages where !prompts.contains(theme.i18n.string("choose_language", other)) {
            prompts.append(theme.i18n.string("choose_language", other))
        }
        let title = site.languages.count > 1 ? prompts.joined(separator: " / ") : site.title.resolve(lang, fallback: lang)
        var c = frame(route: nil, lang: lang, title: title, description: nil, kind: "languages")
        let overall = status?.referenceTime == nil ? nil : status?.overall
        // The heading names the site once per distinct title, each in the language it is
        // written in (a language without its own title shows the default one, marked so).
        var headings: [ViewContext] = []
        c["choices"] = site.languages.map { other -> ViewContext in
            let resolved = site.title.resolved(other, fallback: lang)
            let titleLang = resolved.lang ?? other
            if !headings.contains(where: { $0["title"] as? String == resolved.text }) {
                headings.append(["title": resolved.text, "lang": titleLang])
            }
            var choice: ViewContext = ["lang": other, "url": urls.url(.dashboard, lang: other), "name": theme.i18n.language(other).name,
                                       "title": resolved.text, "prompt": theme.i18n.string("choose_language", other),
                                       "title_lang": Self.contentLang(titleLang, page: other)]
            if let overall {
                var state = stateContext(overall, lang: other)
                state["message"] = strings(other)["overall_" + overall.name] ?? state["label"]
                choice["status"] = state
            }
            return choice
        }
        c["headings"] = headings
        c["alternates"] = site.languages.map { ["lang": $0, "url": urls.absolute(.dashboard, lang: $0)] as ViewContext }
        if site.languages.count == 1, var page = c["page"] as? ViewContext {
            page["redirect"] = urls.url(.dashboard, lang: lang)
            page["canonical"] = urls.absolute(.dashboard, lang: lang)
            c["page"] = page
            c["redirect"] = ["url": urls.url(.dashboard, lang: lang), "label": theme.i18n.string("redirect_text", lang)] as ViewContext
        }
        return c
    }

    /// `/<lang>/sla/`: every month with an overview, newest first, with its verdicts.
    func slaIndex(lang: String) -> ViewContext? {
        guard let status, status.referenceTime != nil else { return nil }
        let strings = self.strings(lang)
        let format = self.format(lang)
        var c = frame(route: .slaIndex, lang: lang, title: strings["sla_overview_index_title"] ?? "SLA", description: nil, kind: "sla-index")
        let months = SLAOverview.months(status).reversed().compactMap { month -> ViewContext? in
            guard let overview = SLAOverview(month: month, content: content, status: status, calendar: calendar) else { return nil }
            let counts = overview.counts
            var m: ViewContext = [
                "month": format.month(month), "iso": month.description, "url": urls.url(.slaOverview(month), lang: lang),
                "json_url": urls.url(path: SLAOverview.jsonPath(month)), "csv_url": urls.url(path: SLAOverview.csvPath(month)),
                "services": String(overview.rows.count), "met": String(counts.met), "missed": String(counts.missed),
                "no_verdict": String(counts.none), "has_missed": counts.missed > 0,
            ]
            if !overview.isComplete { m["in_progress"] = true }
            return m
        }
        c["months"] = months
        c["has_months"] = !months.isEmpty
        return c
    }

    /// `/<lang>/sla/<yyyy-mm>/`: every service's figures for the month, printable.
    func slaOverview(_ month: YearMonth, lang: String) -> ViewContext? {
        guard let overview = SLAOverview(month: month, content: content, status: status, calendar: calendar) else { return nil }
        let strings = self.strings(lang)
        let format = self.format(lang)
        let monthText = format.month(month)
        var c = frame(route: .slaOverview(month), lang: lang, title: "\(strings["sla_overview_title"] ?? "SLA overview") — \(monthText)",
                      description: nil, kind: "sla-overview")
        let weight = status?.partialWeight ?? 1
        let rows = overview.rows.map { row -> ViewContext in
            var r = figureContext(row.tally, target: row.target, source: row.source, inProgress: !overview.isComplete, lang: lang)
            let link = serviceLink(row.id, component: nil, lang: lang)
            for key in link.keys { r[key] = link[key] }
            r["report_url"] = urls.url(.slaReport(service: row.id, month: month), lang: lang)
            if let level = content.site.serviceLevel(row.serviceLevel) { r["level"] = levelContext(level, lang: lang) }
            r["target"] = format.target(row.target)
            r["downtime_minutes"] = format.minutes(row.tally.downtime(partialWeight: weight) / 60_000, roundingUp: true)
            r["incidents"] = String(row.incidents.count)
            r["maintenances"] = String(row.maintenances.count)
            if let sheet = content.services[row.id]?[content.site.defaultLanguage], let lifecycle = lifecycleContext(sheet.lifecycle, lang: lang) {
                r["lifecycle"] = lifecycle
            }
            return r
        }
        let counts = overview.counts
        let months = SLAOverview.months(status)
        let period = format.dateTimeRange(overview.start, overview.end, calendar: calendar)
        var o: ViewContext = [
            "month": monthText,
            "iso": month.description,
            "period": "\(period.start) – \(period.end)",
            "is_partial_month": !overview.isComplete,
            "services": rows,
            "has_services": !rows.isEmpty,
            "count": String(rows.count),
            "met": String(counts.met),
            "missed": String(counts.missed),
            "no_verdict": String(counts.none),
            "json_url": urls.url(path: SLAOverview.jsonPath(month)),
            "csv_url": urls.url(path: SLAOverview.csvPath(month)),
            "index_url": urls.url(.slaIndex, lang: lang),
        ]
        if let i = months.firstIndex(of: month) {
            if i > 0 { o["previous"] = ["url": urls.url(.slaOverview(months[i - 1]), lang: lang), "month": format.month(months[i - 1])] as ViewContext }
            if i + 1 < months.count { o["next"] = ["url": urls.url(.slaOverview(months[i + 1]), lang: lang), "month": format.month(months[i + 1])] as ViewContext }
        }
        c["overview"] = o
        return c
    }
}
