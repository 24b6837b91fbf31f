import Synchronization
import Foundation
import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring

/// Builds the template contexts of every page from the loaded content, the rendered
/// Markdown and the monitoring report. Templates see only these plain values.
struct ViewBuilder: Sendable {
    let content: ContentSet
    let theme: Theme
    let urls: URLBuilder
    let markdown: MarkdownStage.Output
    let status: StatusReport?
    let calendar: ZonedCalendar
    let languageContexts: [String: LanguageContext]
    /// Per language, per service level id.
    let levelContexts: [String: [String: ViewContext]]
    /// Per language, the texts every 90-day strip and SLA report shares.
    let stripTexts: [String: StripTexts]
    /// The months with SLA reports, their days and when each begins.
    let monthDays: [YearMonth: MonthDays]
    let facets: CatalogueFacets
    /// The services in catalogue order with their category: what every catalogue page
    /// and filter groups (a filter page looks at each service again).
    let catalogueOrder: [(id: String, category: String)]
    /// The services the catalogue lists (not retired), and those the dashboard lists (in
    /// operation).
    let listedServices: Set<String>
    let operatingServices: Set<String>
    /// The menu of a service, SLA report or incident page, per language: the same on
    /// thousands of pages (it marks the catalogue or the incidents as current).
    private let menus = MenuMemo()
    /// Per language, every listed service's catalogue entry by id, gathered once per
    /// generation: the catalogue, each of its filter pages and the dashboard list them,
    /// and each lookup of `summary(_:lang:)` builds a key and takes a lock.
    private let listedSummaries = ListedSummaries()

    private final class ListedSummaries: Sendable {
        private let byLanguage = Mutex<[String: Lazy<[String: ViewContext]>]>([:])
        func get(_ lang: String, _ make: @escaping @Sendable () -> [String: ViewContext]) -> [String: ViewContext] {
            byLanguage.withLock { table in
                if let made = table[lang] { return made }
                let lazy = Lazy(make)
                table[lang] = lazy
                return lazy
            }.value
        }
    }

    /// The catalogue entries of the listed services in `lang`, by id.
    func listedSummaries(lang: String) -> [String: ViewContext] {
        listedSummaries.get(lang) { [self] in
            var entries: [String: ViewContext] = [:]
            entries.reserveCapacity(listedServices.count)
            for (id, _) in catalogueOrder where listedServices.contains(id) { entries[id] = summary(id, lang: lang) }
            return entries
        }
    }

    private final class MenuMemo: Sendable {
        private let menus = Mutex<[String: [ViewContext]]>([:])
        func get(_ key: String, _ make: () -> [ViewContext]) -> [ViewContext] {
            if let hit = menus.withLock({ $0[key] }) { return hit }
            let made = make()
            menus.withLock { $0[key] = made }
            return made
        }
    }
    /// Each service's catalogue entry per language, built once when first needed: the
    /// catalogue, its filter pages and the dashboard all list the same entries.
    private let summaryCache: SummaryCache
    /// Rendered entries shared by many pages (see FragmentMemo). `shared()` below lists
    /// the names every page of a language has with the same value.
    let fragments: FragmentMemo
    /// With `serve`'s generation cache: entries and their rendered fragments are kept
    /// from one generation to the next, under keys that include the signature of all
    /// they are made from (the service, its figures, the site configuration and theme).
    let signatures: OutputSignatures?

    static let sharedNames: Set<String> = ["lang", "site", "t", "assets", "support", "contacts", "has_languages"]

    /// What `serve` keeps between generations: summaries and fragments.
    final class Memo: Sendable {
        let summaries = SummaryCache()
        let fragments = FragmentMemo(sharedNames: ViewBuilder.sharedNames)
    }

    final class SummaryCache: Sendable {
        private let state = Mutex<(entries: [String: ViewContext], versions: VersionedKeys<String>)>(([:], VersionedKeys()))
        func get(_ key: String) -> ViewContext? { state.withLock { $0.entries[key] } }
        func set(_ key: String, _ value: ViewContext) {
            state.withLock { state in
                for stale in state.versions.insert(key, element: key) { state.entries[stale] = nil }
                state.entries[key] = value
            }
        }
    }

    func summary(_ id: String, lang: String) -> ViewContext? {
        var key = lang + "/" + id
        if let signatures { key += "#" + String(signatures.summaryKey(id)) }
        if let hit = summaryCache.get(key) { return hit }
        guard var value = serviceSummary(id, lang: lang) else { return nil }
        value[FragmentMemo.keyName] = "summary/" + key
        summaryCache.set(key, value)
        return value
    }

    /// `content_lang` of an entry shown on a page in `lang`: its own language when it
    /// differs, else `false` — present, so that an entry in the page's language nested in
    /// one that is not (a translated service named by an untranslated sheet) does not take
    /// the outer entry's `lang` through the templates' context lookup.
    static func contentLang(_ entry: String, page lang: String) -> Any { entry != lang ? entry : false }

    /// A text of site.yaml as `key`, in the page's language or the one it falls back to,
    /// with `key_lang` naming that one when it is not the page's (`false` otherwise), for
    /// a `lang` attribute (WCAG 3.1.2). Empty texts are left out unless `always`.
    /// Returns the text.
    @discardableResult
    static func lend(_ text: LocalizedText?, as key: String, into c: inout ViewContext, lang: String, fallback: String, always: Bool = false) -> String {
        let (value, shown) = text?.resolved(lang, fallback: fallback) ?? ("", nil)
        guard always || !value.isEmpty else { return value }
        c[key] = value
        c[key + "_lang"] = contentLang(shown ?? lang, page: lang)
        return value
    }

    /// A service as the dashboard lists it, with its history. Kept between generations
    /// only (within one, each appears once per language).
    func summaryWithHistory(_ id: String, lang: String) -> ViewContext? {
        guard let signatures else { return serviceSummary(id, lang: lang, withHistory: true) }
        let key = "history/" + lang + "/" + id + "#" + String(signatures.summaryKey(id))
        if let hit = summaryCache.get(key) { return hit }
        guard var value = serviceSummary(id, lang: lang, withHistory: true) else { return nil }
        value[FragmentMemo.keyName] = key
        summaryCache.set(key, value)
        return value
    }
    /// Extra markup for `serve` (the live-reload script); empty in `build`.
    let devHead: String

    init(content: ContentSet, theme: Theme, urls: URLBuilder, markdown: MarkdownStage.Output, status: StatusReport?, devHead: String,
         facets: CatalogueFacets? = nil, signatures: OutputSignatures? = nil, memo: Memo? = nil) {
        self.content = content
        self.signatures = memo == nil ? nil : signatures
        summaryCache = memo?.summaries ?? SummaryCache()
        fragments = memo?.fragments ?? FragmentMemo(sharedNames: Self.sharedNames)
        self.theme = theme
        self.urls = urls
        self.markdown = markdown
        self.status = status
        self.devHead = devHead
        calendar = ZonedCalendar(timeZone: content.site.timeZone)
        self.facets = facets ?? CatalogueFacets(content: content)
        let d = content.site.defaultLanguage
        catalogueOrder = content.orderedServiceIDs.compactMap { id in content.services[id]?[d].map { (id, $0.category) } }
        listedServices = Set(content.listedServiceIDs)
        operatingServices = Set(content.operatingServiceIDs)
        var contexts: [String: LanguageContext] = [:]
        let assets = theme.assetURLs(urls)
        for lang in content.site.languages {
            let language = theme.i18n.language(lang)
            let strings = theme.i18n.strings(for: lang)
            var format = language.format
            format.availabilityDecimals = content.site.availabilityDecimals
            contexts[lang] = LanguageContext(lang: lang, strings: strings, format: format,
                                             shared: Self.shared(lang: lang, content: content, strings: strings, assets: assets, urls: urls, i18n: theme.i18n,
                                                                 hasFigures: status?.referenceTime != nil))
        }
        languageContexts = contexts
        // Every entity's strip has the report's 90 days; any service's are those.
        let days = status?.services.values.first?.overall.days.map(\.date) ?? []
        let calendar = self.calendar
        monthDays = Dictionary(uniqueKeysWithValues: Set(status?.services.values.flatMap { $0.overall.months.map(\.month) } ?? [])
            .map { ($0, MonthDays($0, calendar: calendar)) })
        let reportDays = monthDays.values.flatMap(\.dates)
        stripTexts = contexts.mapValues { StripTexts(days: days, monthDays: reportDays, format: $0.format, strings: $0.strings) }
        levelContexts = contexts.mapValues { language in
            Dictionary(content.site.serviceLevels.map { level in
                (level.id, Self.makeLevelContext(level, lang: language.lang, site: content.site, format: language.format))
            }, uniquingKeysWith: { a, _ in a })
        }
    }

    private static func shared(lang: String, content: ContentSet, strings: [String: String], assets: [String: String],
                               urls: URLBuilder, i18n: I18n, hasFigures: Bool) -> ViewContext {
        let site = content.site
        let d = site.defaultLanguage
        var organisation: ViewContext = [:]
        lend(site.organisation.name, as: "name", into: &organisation, lang: lang, fallback: d, always: true)
        if let url = site.organisation.url { organisation["url"] = url }
        var siteContext: ViewContext = [
            "organisation": organisation,
            "home_url": urls.url(.dashboard, lang: lang),
            "root_url": urls.url(path: ""),
            "catalogue_url": urls.url(.catalogue, lang: lang),
            "incidents_url": urls.url(.incidents, lang: lang),
            "feed_url": urls.url(.feed, lang: lang),
            "calendar_url": urls.url(.calendar, lang: lang),
            "time_zone": site.timeZone.identifier,
        ]
        // The SLA overview exists when there are figures (a reference time).
        if hasFigures { siteContext["sla_url"] = urls.url(.slaIndex, lang: lang) }
        lend(site.title, as: "title", into: &siteContext, lang: lang, fallback: d, always: true)
        lend(site.description, as: "description", into: &siteContext, lang: lang, fallback: d)
        lend(site.notice, as: "notice", into: &siteContext, lang: lang, fallback: d)

        var support: ViewContext = [:]
        lend(site.support.helpdeskHours, as: "helpdesk_hours", into: &support, lang: lang, fallback: d)
        lend(site.support.onCall, as: "on_call", into: &support, lang: lang, fallback: d)
        let contacts = site.contacts.map { contactContext($0, lang: lang, fallback: d) }
        support["escalation"] = site.support.escalation.enumerated().map { index, step -> ViewContext in
            var c: ViewContext = ["step": String(index + 1)]
            lend(step.role, as: "role", into: &c, lang: lang, fallback: d, always: true)
            if let id = step.contact, let contact = site.contact(id) { c["contact"] = contactContext(contact, lang: lang, fallback: d) }
            return c
        }
        support["has_escalation"] = !site.support.escalation.isEmpty
        if let desk = site.contacts.first { support["helpdesk"] = contactContext(desk, lang: lang, fallback: d) }

        return [
            "lang": lang,
            "site": siteContext,
            "t": ViewContext(strings),
            "assets": assets,
            "support": support,
            "contacts": contacts,
            "has_languages": site.languages.count > 1,
        ]
    }

    static func contactContext(_ contact: SiteConfig.Contact, lang: String, fallback: String) -> ViewContext {
        var c: ViewContext = ["id": contact.id]
        lend(contact.name, as: "name", into: &c, lang: lang, fallback: fallback, always: true)
        if let email = contact.email { c["email"] = email; c["mailto"] = "mailto:" + email; c["email_parts"] = emailParts(email) }
        if let phone = contact.phone, let tel = Validation.telURI(phone) { c["phone"] = phone; c["tel"] = tel }
        if let url = contact.url, Validation.isSafeLink(url) { c["url"] = url }
        lend(contact.description, as: "description", into: &c, lang: lang, fallback: fallback)
        return c
    }

    /// An address cut before each `@` and `.`, where a narrow column may break it
    /// (`<wbr>` before a part with `wbr`), rather than in the middle of a name.
    static func emailParts(_ email: String) -> [ViewContext] {
        var parts: [ViewContext] = [], current = ""
        for ch in email {
            if (ch == "@" || ch == ".") && !current.isEmpty {
                parts.append(["text": current, "wbr": !parts.isEmpty])
                current = ""
            }
            current.append(ch)
        }
        if !current.isEmpty { parts.append(["text": current, "wbr": !parts.isEmpty]) }
        return parts
    }

    // MARK: - Page frame

    /// The context every page starts from: shared values, plus this page's title,
    /// navigation, language switcher and alternates.
    func frame(route: Route?, lang: String, title: String, description: String?, kind: String, alternatesExist: Bool = true) -> ViewContext {
        let lc = languageContexts[lang]!
        var context = lc.shared
        let site = content.site
        var page: ViewContext = ["title": title, "kind": kind]
        if let description = description.nonEmpty { page["description"] = description }
        if let route {
            page["url"] = urls.url(route, lang: lang)
            page["canonical"] = urls.absolute(route, lang: lang)
            context["languages"] = site.languages.map { other -> ViewContext in
                let name = theme.i18n.language(other).name
                let target = facets.exists(route, lang: other) ? route : .catalogue
                return ["code": other, "name": name, "url": urls.url(target, lang: other), "current": other == lang]
            }
            context["has_switcher"] = site.languages.count > 1
            let others = site.languages.filter { facets.exists(route, lang: $0) }
            context["alternates"] = others.map { other -> ViewContext in
                ["lang": other, "url": urls.absolute(route, lang: other)]
            } + (others.contains(site.defaultLanguage) ? [["lang": "x-default", "url": urls.absolute(route, lang: site.defaultLanguage)]] : [])
        }
        context["page"] = page
        context["nav"] = navigation(current: route, lang: lang)
        if !devHead.isEmpty { context["dev_head"] = devHead }
        if let status { context["as_of"] = asOf(status, lang: lang) }
        return context
    }

    private func navigation(current: Route?, lang: String) -> [ViewContext] {
        // Pages below the catalogue or the incidents share their menu.
        switch current {
        case .service?, .slaReport?: return menus.get("catalogue/" + lang) { makeNavigation(current: current, lang: lang) }
        case .slaOverview?: return menus.get("sla/" + lang) { makeNavigation(current: current, lang: lang) }
        case .incident?: return menus.get("incidents/" + lang) { makeNavigation(current: current, lang: lang) }
        default: return makeNavigation(current: current, lang: lang)
        }
    }

    private func makeNavigation(current: Route?, lang: String) -> [ViewContext] {
        let strings = languageContexts[lang]!.strings
        return content.site.menu.compactMap { item -> ViewContext? in
            let route: Route
            let title: String
            // The language of the title when a page or the menu lends another's.
            var titleLang: String? = nil
            switch item {
            case .section(let section):
                switch section {
                case .dashboard: route = .dashboard; title = strings["nav_dashboard"] ?? "Status"
                case .catalogue: route = .catalogue; title = strings["nav_catalogue"] ?? "Catalogue"
                case .incidents: route = .incidents; title = strings["nav_incidents"] ?? "Incidents"
                case .sla:
                    // Without figures (no reference time) there is no overview to link to.
                    guard status?.referenceTime != nil else { return nil }
                    route = .slaIndex; title = strings["nav_sla"] ?? "SLA"
                }
            case .page(let slug, let menuTitle):
                guard let page = content.page(slug, in: lang) else { return nil }
                route = .page(slug)
                if let menuTitle {
                    (title, titleLang) = menuTitle.resolved(lang, fallback: content.site.defaultLanguage)
                } else {
                    (title, titleLang) = (page.title, page.lang)
                }
            case .link(let t, let url):
                let (text, textLang) = t.resolved(lang, fallback: content.site.defaultLanguage)
                return ["title": text, "url": url, "current": false, "content_lang": Self.contentLang(textLang ?? lang, page: lang)]
            }
            var isCurrent = current == route
            if case .service = current, route == .catalogue { isCurrent = true }
            if case .slaReport = current, route == .catalogue { isCurrent = true }
            if case .incident = current, route == .incidents { isCurrent = true }
            if case .slaOverview = current, route == .slaIndex { isCurrent = true }
            return ["title": title, "url": urls.url(route, lang: lang), "current": isCurrent, "exact": current == route,
                    "content_lang": Self.contentLang(titleLang ?? lang, page: lang)]
        }
    }

    func asOf(_ status: StatusReport, lang: String) -> ViewContext {
        let format = languageContexts[lang]!.format
        guard let t = status.referenceTime else { return [:] }
        return ["text": format.dateTime(t, calendar: calendar), "datetime": t.iso8601UTC, "frozen": status.isFrozen]
    }

    /// Marks content shown in the default language because no translation exists.
    func fallback(contentLang: String, pageLang: String) -> ViewContext? {
        guard contentLang != pageLang else { return nil }
        let strings = languageContexts[pageLang]!.strings
        return ["lang": contentLang, "language_name": theme.i18n.language(contentLang).name,
                "notice": strings["translation_missing"] ?? "This content is not yet translated."]
    }

    package func body(_ key: DocumentKey, lang: String) -> (html: String, toc: [ViewContext]) {
        guard let rendered = markdown.rendered(key, lang) else { return ("", []) }
        let toc = rendered.headings.filter { $0.level == 2 }.map { ["id": $0.id, "text": $0.text] as ViewContext }
        return (rendered.html, toc)
    }

    func strings(_ lang: String) -> [String: String] { languageContexts[lang]!.strings }
    func format(_ lang: String) -> LocaleFormat { languageContexts[lang]!.format }
}
