import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMonitoring

/// Contexts of the catalogue and the service sheets.
extension ViewBuilder {
    /// A service as listed on the catalogue and the dashboard.
    func serviceSummary(_ id: String, lang: String, withHistory: Bool = false) -> ViewContext? {
        guard let sheet = content.service(id, in: lang) else { return nil }
        let site = content.site
        let d = site.defaultLanguage
        let strings = self.strings(lang)
        var c: ViewContext = [
            "id": id,
            "title": sheet.title,
            "summary": sheet.summary,
            "url": urls.url(.service(id), lang: lang),
            "delivery": sheet.delivery,
            "delivery_key": sheet.delivery.lowercased(),
            "delivery_label": deliveryLabel(sheet.delivery, lang: lang),
            "category_id": sheet.category,
            "tags": sheet.tags.map { tag -> ViewContext in
                ["label": tag, "url": urls.url(.catalogueFilter(.tag, CatalogueFacets.tagSlug(tag)), lang: lang)]
            },
            "tag_keys": sheet.tags.map(CatalogueFacets.tagSlug).joined(separator: " "),
            "has_tags": !sheet.tags.isEmpty,
        ]
        c["content_lang"] = Self.contentLang(sheet.lang(of: .title), page: lang)
        // Its keywords, each linked to its filter page: a listed service's only (a retired
        // one is on no filter page), and those with letters or digits (a slug).
        if sheet.lifecycle.stage != .retired {
            let links: [ViewContext] = sheet.tags.compactMap { tag in
                let slug = CatalogueFacets.tagSlug(tag)
                return slug.isEmpty ? nil : ["label": tag, "url": urls.url(.catalogueFilter(.tag, slug), lang: lang)]
            }
            c["tag_links"] = links
            c["has_tag_links"] = !links.isEmpty
            c["tags_lang"] = Self.contentLang(sheet.lang(of: .tags), page: lang)
        }
        // A translation may translate the title and inherit the summary, or the reverse.
        c["summary_lang"] = Self.contentLang(sheet.lang(of: .summary), page: lang)
        if let level = site.serviceLevel(sheet.serviceLevel) {
            c["level"] = levelContext(level, lang: lang)
        }
        if let category = site.category(sheet.category) {
            Self.lend(category.name, as: "category", into: &c, lang: lang, fallback: d, always: true)
        } else {
            c["category"] = sheet.category
            c["category_lang"] = false
        }
        if let lifecycle = lifecycleContext(sheet.lifecycle, lang: lang) { c["lifecycle"] = lifecycle }
        // A planned or retired service has no state now: it is not in operation.
        if let s = status?.services[id], sheet.lifecycle.isInOperation {
            c["status"] = stateContext(s.overall.current, lang: lang)
            c["availability_30d"] = figureContext(s.overall.windows[.d30] ?? StateTally(), target: s.target, source: s.overall.source, lang: lang)
            if withHistory { addHistory(s.overall, service: id, to: &c, lang: lang) }
            let impacts = s.affectedThrough.map { impactContext($0, lang: lang) }
            c["affected_through"] = impacts
            c["has_affected_through"] = !impacts.isEmpty
        }
        return c
    }

    /// The expansion of a delivery model's abbreviation: site.yaml's name, else the
    /// theme's `delivery_<key>`, else the model itself.
    func deliveryLabel(_ delivery: String, lang: String) -> String {
        let site = content.site
        if let name = site.deliveryModel(delivery)?.name?.resolve(lang, fallback: site.defaultLanguage).nonEmpty { return name }
        return strings(lang)["delivery_" + delivery.lowercased()] ?? delivery
    }

    /// Where a service stands, for every list and its page; nil in production (nothing
    /// to say).
    func lifecycleContext(_ lifecycle: Lifecycle, lang: String) -> ViewContext? {
        guard lifecycle.stage != .production else { return nil }
        let strings = self.strings(lang)
        let format = self.format(lang)
        let stage = lifecycle.stage.rawValue
        var c: ViewContext = [
            "stage": stage,
            "label": strings["lifecycle_" + stage] ?? stage,
            "is_planned": lifecycle.stage == .planned,
            "is_pilot": lifecycle.stage == .pilot,
            "is_deprecated": lifecycle.stage == .deprecated,
            "is_retired": lifecycle.stage == .retired,
        ]
        func date(_ d: CivilDate) -> ViewContext { ["text": format.date(d), "iso": d.isoString] }
        if let since = lifecycle.since { c["since"] = date(since) }
        if let until = lifecycle.until { c["until"] = date(until) }
        // The sentence that says until when (or since when): `lifecycle_<stage>_until`.
        let dated: (String, CivilDate)? = lifecycle.stage == .retired ? lifecycle.since.map { ("since", $0) } : lifecycle.until.map { ("until", $0) }
        if let (key, day) = dated, let pattern = strings["lifecycle_\(stage)_\(key)"] {
            c["note"] = pattern.replacingEvery("{date}", with: format.date(day))
        }
        if let replacement = lifecycle.replacedBy, let other = content.service(replacement, in: lang) {
            var r: ViewContext = ["title": other.title, "url": urls.url(.service(replacement), lang: lang)]
            r["content_lang"] = Self.contentLang(other.lang(of: .title), page: lang)
            c["replaced_by"] = r
        }
        return c
    }

    /// A dependency in trouble, named as its page names it.
    func impactContext(_ impact: Impact, lang: String) -> ViewContext {
        var c = serviceLink(impact.service, component: impact.component, lang: lang)
        c["status"] = stateContext(impact.state, lang: lang)
        if !impact.isDirect, let via = impact.via.split(separator: "/").first.map(String.init) {
            c["via"] = serviceLink(via, component: nil, lang: lang)
        }
        return c
    }

    /// `title`, `url`, `content_lang`? and `component`? (its name) of a service reference.
    func serviceLink(_ id: String, component: String?, lang: String) -> ViewContext {
        let sheet = content.service(id, in: lang)
        var c: ViewContext = ["id": id, "title": sheet?.title ?? id, "url": urls.url(.service(id), lang: lang)]
        c["content_lang"] = Self.contentLang(sheet?.lang(of: .title) ?? lang, page: lang)
        if let component, let name = sheet?.components.first(where: { $0.id == component })?.name { c["component"] = name }
        return c
    }

    /// The 90-day strip of a service, its days linked to its SLA reports.
    private func addHistory(_ entity: EntityStatus, service id: String, to c: inout ViewContext, lang: String) {
        let history = historyContext(entity, service: id, lang: lang)
        c["history"] = history
        if history.contains(where: { $0["day_url"] != nil }) { c["history_links"] = true }
    }

    /// Made once per level and language (`levelContexts`): every sheet, pack and
    /// catalogue entry shows one.
    func levelContext(_ level: SiteConfig.ServiceLevel, lang: String) -> ViewContext {
        levelContexts[lang]?[level.id] ?? Self.makeLevelContext(level, lang: lang, site: content.site, format: format(lang))
    }

    static func makeLevelContext(_ level: SiteConfig.ServiceLevel, lang: String, site: SiteConfig, format: LocaleFormat) -> ViewContext {
        let d = site.defaultLanguage
        // site.yaml's texts without this language show another's: marked with it.
        var c: ViewContext = [
            "id": level.id,
            "target": format.target(level.target),
            "target_value": JSONText.number(level.target),
            "hours_lang": false,
            "description_lang": false,
        ]
        let name = lend(level.name, as: "name", into: &c, lang: lang, fallback: d, always: true)
        c["name_has_target"] = nameHoldsTarget(name, level.target)
        lend(level.hours, as: "hours", into: &c, lang: lang, fallback: d)
        lend(level.description, as: "description", into: &c, lang: lang, fallback: d)
        let allowed = 30 * 24 * 60 * (100 - level.target) / 100
        c["allowed_downtime_30d"] = format.minutes(allowed, roundingUp: false)
        return c
    }

    /// Whether a level's name already says its target ("Non critique (99,7 %)"), so that
    /// pages do not print it a second time after the name.
    static func nameHoldsTarget(_ name: String, _ target: Double) -> Bool {
        // The numbers written in the name, with either decimal mark: "99,7" in "Non critique (99,7 %)".
        var numbers: [String] = [], current = ""
        for ch in name + " " {
            if ch.isASCII && ch.isNumber || (!current.isEmpty && (ch == "." || ch == ",")) {
                current.append(ch)
            } else if !current.isEmpty {
                while current.last == "." || current.last == "," { current.removeLast() }
                numbers.append(current)
                current = ""
            }
        }
        return numbers.contains { Double($0.replacingEvery(",", with: ".")) == target }
    }

    /// Services grouped by category, categories in site.yaml order (then by weight).
    /// `listed`: the services to list — the catalogue's (all but retired) or, on the
    /// dashboard, those in operation.
    func categoriesContext(lang: String, withHistory: Bool = false, filter: (CatalogueFacet, String)? = nil,
                           listed: Set<String>) -> [ViewContext] {
        let site = content.site
        let d = site.defaultLanguage
        var groups: [String: [String]] = [:]
        let members = filter.map { facets.members($0.0, $0.1, lang: lang) ?? [] }
        let entries = withHistory ? [:] : listedSummaries(lang: lang)
        for (id, category) in catalogueOrder {
            if !listed.contains(id) { continue }
            if let members, !members.contains(id) { continue }
            groups[category, default: []].append(id)
        }
        let order = site.categories.enumerated().sorted { ($0.element.weight, $0.offset) < ($1.element.weight, $1.offset) }.map(\.element.id)
        let keys = order.filter { groups[$0] != nil } + groups.keys.filter { !order.contains($0) }.sorted()
        return keys.map { key in
            let ids = groups[key]!
            let category = site.category(key)
            var c: ViewContext = [
                "id": key,
                "name": key,
                "name_lang": false,
                "description_lang": false,
                "count": String(ids.count),
                "services": ids.compactMap { withHistory ? summaryWithHistory($0, lang: lang) : entries[$0] ?? summary($0, lang: lang) },
            ]
            if let category {
                Self.lend(category.name, as: "name", into: &c, lang: lang, fallback: d, always: true)
                Self.lend(category.description, as: "description", into: &c, lang: lang, fallback: d)
            }
            return c
        }
    }

    func catalogue(lang: String, filter: (CatalogueFacet, String)? = nil) -> ViewContext {
        let strings = self.strings(lang)
        var title = strings["catalogue_title"] ?? "Catalogue"
        if let filter { title += " — " + facetValueLabel(filter.0, filter.1, lang: lang) }
        let route: Route = filter.map { .catalogueFilter($0.0, $0.1) } ?? .catalogue
        var c = frame(route: route, lang: lang, title: title,
                      description: content.site.description?.resolve(lang, fallback: content.site.defaultLanguage), kind: "catalogue")
        let categories = categoriesContext(lang: lang, filter: filter, listed: listedServices)
        c["categories"] = categories
        let shown = categories.reduce(0) { $0 + (($1["services"] as? [ViewContext])?.count ?? 0) }
        c["service_count"] = String(shown)
        c["total_count"] = String(listedServices.count)
        c["levels"] = content.site.serviceLevels.map { levelContext($0, lang: lang) }
        c["facets"] = facetsContext(lang: lang, current: filter)
        c["search_url"] = urls.url(path: "search/index.\(lang).json")
        if let filter {
            c["filter"] = ["facet": strings["facet_" + filter.0.rawValue] ?? filter.0.rawValue,
                           "value": facetValueLabel(filter.0, filter.1, lang: lang),
                           "content_lang": facetValueLang(filter.0, filter.1, lang: lang),
                           "clear_url": urls.url(.catalogue, lang: lang)] as ViewContext
        }
        return c
    }

    /// The filters of the catalogue: each facet with its values, counts and links.
    func facetsContext(lang: String, current: (CatalogueFacet, String)?) -> [ViewContext] {
        let strings = self.strings(lang)
        return CatalogueFacet.allCases.compactMap { facet -> ViewContext? in
            let values = facets.values(facet, lang: lang)
            guard !values.isEmpty else { return nil }
            return [
                "key": facet.rawValue,
                // Keywords can be many; themes may fold them on small screens.
                "collapsed": facet == .tag,
                "label": strings["facet_" + facet.rawValue] ?? facet.rawValue,
                "values": values.map { value -> ViewContext in
                    [
                        "value": value,
                        "label": facetValueLabel(facet, value, lang: lang),
                        "content_lang": facetValueLang(facet, value, lang: lang),
                        "count": String(facets.count(facet, value, lang: lang)),
                        "url": urls.url(.catalogueFilter(facet, value), lang: lang),
                        "current": current.map { $0.0 == facet && $0.1 == value } ?? false,
                    ]
                },
            ]
        }
    }

    /// `content_lang` of a facet value's label: a keyword lent by an untranslated sheet
    /// is in its sheet's language.
    func facetValueLang(_ facet: CatalogueFacet, _ value: String, lang: String) -> Any {
        facet == .tag ? Self.contentLang(facets.tagLabelLang(value, lang: lang), page: lang) : false
    }

    func facetValueLabel(_ facet: CatalogueFacet, _ value: String, lang: String) -> String {
        switch facet {
        case .delivery:
            return content.site.deliveryModels.first { $0.key == value }?.id ?? value
        case .level:
            return content.site.serviceLevel(value).map { $0.name.resolve(lang, fallback: content.site.defaultLanguage) } ?? value
        case .tag:
            return facets.tagLabel(value, lang: lang)
        }
    }

    func service(_ id: String, lang: String) -> ViewContext? {
        guard let sheet = content.service(id, in: lang), var summary = summary(id, lang: lang) else { return nil }
        let site = content.site
        let strings = self.strings(lang)
        var c = frame(route: .service(id), lang: lang, title: sheet.title, description: sheet.summary, kind: "service")
        if let fb = fallback(contentLang: sheet.lang, pageLang: lang) { c["fallback"] = fb }
        let (html, bodyTOC) = body(.init(.service, id), lang: lang)
        summary["body"] = html

        if let m = sheet.manager {
            var manager: ViewContext = ["name": m.name]
            if let email = m.email { manager["email"] = email; manager["mailto"] = "mailto:" + email; manager["email_parts"] = Self.emailParts(email) }
            if let phone = m.phone, let tel = Validation.telURI(phone) { manager["phone"] = phone; manager["tel"] = tel }
            summary["manager"] = manager
        }
        // Lent text is marked with its language, text by text (a pack's level beside it is
        // in the page's): all of the packs (or options) when the translation gives none,
        // else each description or list it took from the original.
        let packsLang = sheet.lang(of: .packs), optionsLang = sheet.lang(of: .options)
        summary["packs_lang"] = Self.contentLang(packsLang, page: lang)
        summary["packs"] = sheet.packs.map { pack -> ViewContext in
            var p: ViewContext = ["id": pack.id, "name": pack.name, "includes": pack.includes, "has_includes": !pack.includes.isEmpty,
                                  "name_lang": Self.contentLang(packsLang, page: lang),
                                  "description_lang": Self.contentLang(pack.descriptionLang ?? packsLang, page: lang),
                                  "includes_lang": Self.contentLang(pack.includesLang ?? packsLang, page: lang)]
            if let v = pack.description.nonEmpty { p["description"] = v }
            if let level = site.serviceLevel(pack.serviceLevel ?? sheet.serviceLevel) { p["level"] = levelContext(level, lang: lang) }
            return p
        }
        summary["has_packs"] = !sheet.packs.isEmpty
        summary["options"] = sheet.options.map { option -> ViewContext in
            var o: ViewContext = ["id": option.id, "name": option.name, "name_lang": Self.contentLang(optionsLang, page: lang),
                                  "description_lang": Self.contentLang(option.descriptionLang ?? optionsLang, page: lang)]
            if let v = option.description.nonEmpty { o["description"] = v }
            return o
        }
        summary["has_options"] = !sheet.options.isEmpty

        // The levels this service offers: its own, then those of its packs.
        var levelIDs = [sheet.serviceLevel]
        for pack in sheet.packs { if let l = pack.serviceLevel, !levelIDs.contains(l) { levelIDs.append(l) } }
        summary["levels"] = levelIDs.compactMap { levelID -> ViewContext? in
            guard let level = site.serviceLevel(levelID) else { return nil }
            var l = levelContext(level, lang: lang)
            let packs = sheet.packs.filter { ($0.serviceLevel ?? sheet.serviceLevel) == levelID }.map(\.name)
            l["packs"] = packs.joined(separator: ", ")
            l["is_default"] = levelID == sheet.serviceLevel
            return l
        }

        // What it needs, and what needs it: the state now of each, where it has one.
        let dependsOn = sheet.dependsOn.map { dependency -> ViewContext in
            var c = serviceLink(dependency.service, component: dependency.component, lang: lang)
            if let s = status?.services[dependency.service], s.isInOperation {
                let current = dependency.component.flatMap { s.component($0)?.current } ?? s.overall.current
                c["status"] = stateContext(current, lang: lang)
            }
            if let lifecycle = content.services[dependency.service]?[site.defaultLanguage].flatMap({ lifecycleContext($0.lifecycle, lang: lang) }) {
                c["lifecycle"] = lifecycle
            }
            return c
        }
        let dependants = (content.dependants[id] ?? []).map { other -> ViewContext in
            var c = serviceLink(other, component: nil, lang: lang)
            if let s = status?.services[other], s.isInOperation { c["status"] = stateContext(s.overall.current, lang: lang) }
            if let lifecycle = content.services[other]?[site.defaultLanguage].flatMap({ lifecycleContext($0.lifecycle, lang: lang) }) {
                c["lifecycle"] = lifecycle
            }
            return c
        }
        summary["depends_on"] = dependsOn
        summary["has_depends_on"] = !dependsOn.isEmpty
        summary["dependants"] = dependants
        summary["has_dependants"] = !dependants.isEmpty
        summary["has_dependencies"] = !dependsOn.isEmpty || !dependants.isEmpty

        // Current figures are for services in operation; a retired one keeps its monthly
        // reports, a planned one has what it was measured on, if anything.
        let inOperation = sheet.lifecycle.isInOperation
        let serviceStatus = status?.services[id]
        summary["components"] = sheet.components.map { component -> ViewContext in
            var cc: ViewContext = ["id": component.id, "name": component.name, "content_lang": Self.contentLang(sheet.lang(of: .components), page: lang)]
            if let v = component.description.nonEmpty { cc["description"] = v }
            if inOperation, let cs = serviceStatus?.component(component.id) {
                cc["status"] = stateContext(cs.current, lang: lang)
                cc["windows"] = windowsContext(cs, target: serviceStatus?.target, lang: lang)
                cc["availability_30d"] = figureContext(cs.windows[.d30] ?? StateTally(), target: serviceStatus?.target, source: cs.source, lang: lang)
            }
            return cc
        }
        summary["has_components"] = !sheet.components.isEmpty
        if let s = serviceStatus, inOperation || !s.overall.months.isEmpty {
            summary["has_status"] = true
            summary["has_current"] = inOperation
            summary["has_months"] = !s.overall.months.isEmpty
            let windows = windowsContext(s.overall, target: s.target, lang: lang)
            summary["windows"] = windows
            // Nothing measured in any window: one sentence says it, not five rows of "no data".
            summary["has_window_data"] = windows.contains { $0["has_data"] as? Bool == true }
            addHistory(s.overall, service: id, to: &summary, lang: lang)
            if let latency = latencyContext(sheet, status: s, lang: lang) { summary["latency"] = latency }
            summary["target"] = format(lang).target(s.target)
            if let allowed = s.budgetAllowedMinutes, let used = s.budgetUsedMinutes {
                let format = self.format(lang)
                // Used exactly is not overrun: the verdict beside it compares with the same
                // tolerance, so the two never contradict (43.2 of 43.2 min: met, 0.0 left).
                var remaining = allowed - used
                if abs(remaining) < 1e-6 { remaining = 0 }
                // The meter stops at 100; its text says how far past the budget it went (230 %).
                // Short of the budget it rounds down: 100 % only once it is all used.
                // A budget of nothing (a 100 % target) overrun is infinitely so; past 999 % the
                // text says "> 999 %" (a 99.99999999 % target read "2037038316 %").
                let ratio = allowed > 0 ? used / allowed * 100 : (used > 0 ? .infinity : 0)
                // Past it, at least 101: 100.04 % used is not "100 %", which reads as used exactly.
                let consumed = remaining > 0 ? min(99, Int(ratio.rounded(.down))) : remaining < 0 ? max(101, Int(min(ratio, 1000).rounded())) : 100
                let usedPercent = min(100, consumed)
                summary["budget"] = [
                    "allowed": Self.allowanceText(allowed, used: used, format: format),
                    "used": format.minutes(used, roundingUp: true),
                    "remaining": format.minutes(max(0, remaining), roundingUp: false),
                    "exceeded": remaining < 0,
                    "overrun": format.minutes(max(0, -remaining), roundingUp: true),
                    "used_percent": String(usedPercent),
                    "used_percent_text": format.percentPattern.replacingEvery("{n}", with: consumed > 999 ? "> 999" : String(consumed)),
                ] as ViewContext
            }
            summary["months"] = s.overall.months.reversed().map { entry -> ViewContext in
                var m = figureContext(entry.tally, target: Self.judgedTarget(s), source: s.overall.source, inProgress: isInProgress(entry.month), lang: lang)
                m["month"] = format(lang).month(entry.month)
                m["url"] = urls.url(.slaReport(service: id, month: entry.month), lang: lang)
                return m
            }
        }
        let incidents = incidentsAffecting(id, lang: lang)
        summary["incidents"] = incidents.map { incidentSummary($0, lang: lang) }
        summary["has_incidents"] = !incidents.isEmpty
        summary["level_label"] = strings["service_level"] ?? "Service level"
        summary["subscribe"] = subscribeContext(feed: .serviceFeed(id), calendar: .serviceCalendar(id), lang: lang, own: true)
        c["head_feeds"] = [
            ["type": "application/atom+xml", "url": urls.url(.serviceFeed(id), lang: lang), "title": "\(sheet.title) — \(strings["feed_title"] ?? "")"],
            ["type": "text/calendar", "url": urls.url(.serviceCalendar(id), lang: lang), "title": "\(sheet.title) — \(strings["calendar_title"] ?? "") (iCalendar)"],
        ] as [ViewContext]

        // "On this page": the sheet's own headings (in its language), then the sections
        // the theme writes, in page order, with the `id`s of their headings.
        let contentLang = sheet.lang != lang ? sheet.lang : nil
        var toc = bodyTOC.map { entry -> ViewContext in
            var e = entry
            if let contentLang { e["toc_lang"] = contentLang }
            return e
        }
        let generated: [(present: Bool, id: String, key: String)] = [
            (!sheet.packs.isEmpty, "packs-title", "packs"), (!sheet.options.isEmpty, "options-title", "options"),
            (true, "levels-title", "service_levels"), (!dependsOn.isEmpty || !dependants.isEmpty, "dependencies-title", "dependencies"),
            (serviceStatus.map { inOperation || !$0.overall.months.isEmpty } ?? false, "availability-title", "availability"), (true, "incidents-title", "service_incidents"),
        ]
        for section in generated where section.present {
            toc.append(["id": section.id, "text": strings[section.key] ?? section.key])
        }
        summary["toc"] = toc
        summary["has_toc"] = bodyTOC.count + generated.filter(\.present).count > 2
        c["service"] = summary
        return c
    }
}
