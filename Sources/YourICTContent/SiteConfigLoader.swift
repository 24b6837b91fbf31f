import Foundation
import YourICTSupport
import YourICTFormats

/// Reads `content/site.yaml` into a `SiteConfig`, with diagnostics for every problem.
package enum SiteConfigLoader {
    /// What is wrong with a base URL, or nil: an absolute http(s) address of a folder,
    /// written as links will use it — no query, fragment or user (they were dropped
    /// silently), no space or percent-escape (`%2F` became a real `/`).
    package static func baseURLProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return "must be an absolute http(s) URL"
        }
        if url.query != nil || url.fragment != nil || text.contains("?") || text.contains("#") { return "may not have a query (?…) or a fragment (#…)" }
        if url.user != nil || url.password != nil { return "may not name a user or password" }
        if text.contains(" ") || text.contains("%") { return "may not hold spaces or percent-escapes (%…)" }
        return nil
    }

    package static let path = "content/site.yaml"

    package static func load(from tree: SourceTree, diagnostics: DiagnosticBag) -> SiteConfig? {
        let bytes: [UInt8]
        do {
            bytes = try tree.read(path)
        } catch SourceTreeError.notFound {
            diagnostics.error("\(path) is missing", at: SourceLocation(path: path),
                              hint: "run `yourict init DIR` for a starting site, or create content/site.yaml with at least `title:`")
            return nil
        } catch {
            // A folder, a link to nothing, a file without read access: said as it is.
            diagnostics.error("\(error)", at: SourceLocation(path: path),
                              hint: "content/site.yaml must be a readable file; `yourict init DIR` shows one")
            return nil
        }
        let source: SourceText
        switch SourceText.decode(bytes, path: path) {
        case .success(let s): source = s
        case .failure(let d): diagnostics.add(d); return nil
        }
        switch YAMLDocument.parse(source.text, path: path, firstLine: 1) {
        case .failure(let d):
            diagnostics.add(d)
            return nil
        case .success(nil):
            diagnostics.error("\(path) is empty", at: SourceLocation(path: path), hint: "add at least `title:` and `languages:`")
            return nil
        case .success(let node?):
            return decode(node, diagnostics: diagnostics)
        }
    }

    package static func decode(_ node: YAMLNode, diagnostics: DiagnosticBag) -> SiteConfig? {
        // Languages first: localized fields are checked against them.
        let languages: [String]
        if case .mapping(let m) = node, let langNode = m["languages"] {
            let probe = YAMLReader(node, what: "site.yaml", path: path, lineOffset: 0, languages: [], diagnostics: diagnostics)
            let list = probe?.strings("languages") ?? []
            var valid: [String] = []
            for lang in list {
                let pattern = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
                if lang.range(of: pattern, options: .regularExpression) == nil {
                    // `FR`: said once, and read as `fr` for the rest of the checks, so that
                    // every text given in `fr` is not reported as well.
                    let lowered = lang.prefix { $0 != "-" }.lowercased() + lang.drop { $0 != "-" }
                    let fixable = lowered.range(of: pattern, options: .regularExpression) != nil && !valid.contains(lowered)
                    diagnostics.error("`\(lang)` is not a language code", at: YAMLReader.location(of: langNode, path: path, lineOffset: 0),
                                      hint: fixable ? "write it in lower case: `\(lowered)`" : "use codes such as fr, nl, de, en")
                    if fixable { valid.append(lowered) }
                } else if valid.contains(lang) {
                    diagnostics.error("language `\(lang)` is listed twice", at: YAMLReader.location(of: langNode, path: path, lineOffset: 0))
                } else {
                    valid.append(lang)
                }
            }
            if list.isEmpty, case .sequence = langNode {
                diagnostics.error("`languages` is empty", at: YAMLReader.location(of: langNode, path: path, lineOffset: 0),
                                  hint: "list the site's languages, the default first: languages: [fr, nl]")
            }
            languages = valid.isEmpty ? ["fr"] : valid
        } else {
            languages = ["fr"]
        }
        guard let r = YAMLReader(node, what: "site.yaml", path: path, lineOffset: 0, languages: languages, diagnostics: diagnostics) else {
            return nil
        }
        _ = r.node("languages")
        let title = r.localized("title", required: true) ?? LocalizedText("")
        let description = r.localized("description")
        let notice = r.localized("notice")

        var organisation = SiteConfig.Organisation(name: title, url: nil)
        if let o = r.mapping("organisation") {
            organisation.name = o.localized("name") ?? title
            organisation.url = o.string("url")
            if let url = organisation.url { checkExternalURL(url, key: "url", label: "organisation.url", reader: o) }
            o.finish()
        }

        var baseURL = r.string("base_url") ?? "/"
        if baseURL != "/" {
            if let problem = Self.baseURLProblem(baseURL) {
                diagnostics.error("`base_url` \(problem), found `\(baseURL)`", at: r.keyLocation("base_url"),
                                  hint: "e.g. base_url: https://status.example.org/ (or …/status/ for a site under a path)")
                baseURL = "/"
            } else if !baseURL.hasSuffix("/") {
                baseURL += "/"
            }
        }

        var timeZone = TimeZone(identifier: "Europe/Brussels")!
        if let tz = r.string("timezone") {
            if let zone = TimeZone(identifier: tz) {
                timeZone = zone
                // `UTC+1` is a zone Foundation accepts, fixed at one hour: no summer time, so
                // times and month boundaries are an hour off half the year where clocks change.
                if tz.range(of: "^(UTC|GMT)[+-]", options: [.regularExpression, .caseInsensitive]) != nil {
                    diagnostics.warning("`\(tz)` is a fixed offset from UTC, without summer time: where clocks change, times and month boundaries are an hour off for part of the year",
                                        at: r.keyLocation("timezone"), hint: "use the region's IANA name, such as Europe/Brussels (or UTC itself)")
                }
            } else {
                diagnostics.error("unknown time zone `\(tz)`", at: r.keyLocation("timezone"), hint: "use an IANA name such as Europe/Brussels")
            }
        }

        var unsafeHTML = false
        if let m = r.mapping("markdown") {
            unsafeHTML = m.bool("unsafe_html") ?? false
            m.finish()
        }
        var brokenLinks = Diagnostic.Severity.error
        if let l = r.mapping("links") {
            if l.choice("broken", ["error", "warning"]) == "warning" { brokenLinks = .warning }
            l.finish()
        }
        var partialWeight = 1.0
        var staleAfter = SiteConfig.defaultStaleAfter
        var minimumCoverage = SiteConfig.defaultMinimumCoverage
        var incidentsSince: Timestamp?
        var incidentsSinceLocation: SourceLocation?
        if let a = r.mapping("availability") {
            if let w = a.double("partial_outage_weight") {
                if (0...1).contains(w) {
                    partialWeight = w
                } else {
                    diagnostics.error("`partial_outage_weight` must be between 0 and 1, found \(w)", at: a.keyLocation("partial_outage_weight"),
                                      hint: "1 counts a partial outage fully as downtime, 0 not at all")
                }
            }
            if let text = a.string("stale_after") {
                if let d = parseDuration(text), d.millis > 0 {
                    staleAfter = d
                } else {
                    diagnostics.error("`stale_after` must be a duration such as 15m, 1h or 90s, found `\(text)`", at: a.keyLocation("stale_after"),
                                      hint: "data older than this (or than three usual intervals, if more) shows as late")
                }
            }
            if let c = a.double("min_coverage") {
                if (0...100).contains(c) {
                    minimumCoverage = c
                } else {
                    diagnostics.error("`min_coverage` must be a percentage from 0 to 100, found \(JSONText.number(c))", at: a.keyLocation("min_coverage"),
                                      hint: "e.g. min_coverage: 90: a window measured on less than 90 % of its time gets no verdict")
                }
            }
            incidentsSince = a.timestamp("incidents_since")
            if incidentsSince != nil { incidentsSinceLocation = a.keyLocation("incidents_since") }
            a.finish()
        }
        let referenceTime = r.timestamp("reference_time")
        var dashboardMaxStrips = SiteConfig.defaultDashboardMaxStrips
        if let d = r.mapping("dashboard") {
            if let n = d.int("max_strips") {
                if n >= 0 {
                    dashboardMaxStrips = n
                } else {
                    diagnostics.error("`max_strips` must be 0 or more, found \(n)", at: d.keyLocation("max_strips"),
                                      hint: "the dashboard draws 90-day strips when it lists at most this many services; 0: never")
                }
            }
            d.finish()
        }

        let categories = orderedEntries(r, "categories") { id, c in
            let category = SiteConfig.Category(id: id, name: c.localized("name") ?? LocalizedText(id),
                                               description: c.localized("description"), weight: c.int("weight") ?? 0)
            c.finish()
            return category
        }

        let deliveryModels = self.deliveryModels(r)

        let levels = orderedEntries(r, "service_levels") { id, l -> SiteConfig.ServiceLevel? in
            let target = l.double("target", required: true)
            if let t = target, !(t > 0 && t <= 100) {
                diagnostics.error("service level `\(id)`: `target` must be a percentage above 0 and at most 100, found \(JSONText.number(t))",
                                  at: l.keyLocation("target"), hint: "e.g. target: 99.9")
            }
            let level = SiteConfig.ServiceLevel(id: id, name: l.localized("name") ?? LocalizedText(id), target: target ?? 100,
                                                hours: l.localized("hours"), description: l.localized("description"))
            l.finish()
            // A level whose target is wrong or missing has its error, and the build stops;
            // it stays defined, so that the sheets naming it do not each add "not defined".
            return level
        }

        var support = SiteConfig.Support(helpdeskHours: nil, onCall: nil, escalation: [])
        if let s = r.mapping("support") {
            support.helpdeskHours = s.localized("helpdesk_hours")
            support.onCall = s.localized("on_call")
            for item in s.sequence("escalation") ?? [] {
                guard let e = s.nested(item, what: "an escalation step") else { continue }
                support.escalation.append(.init(role: e.localized("role", required: true) ?? LocalizedText(""), contact: e.string("contact")))
                e.finish()
            }
            s.finish()
        }

        let contacts = orderedEntries(r, "contacts") { id, c -> SiteConfig.Contact in
            let contact = SiteConfig.Contact(id: id, name: c.localized("name") ?? LocalizedText(id), email: c.string("email"),
                                             phone: c.string("phone"), url: c.string("url"), description: c.localized("description"))
            if let email = contact.email, !Validation.isEmail(email) {
                diagnostics.error("`\(email)` is not an email address", at: c.keyLocation("email"))
            }
            if let phone = contact.phone, Validation.telURI(phone) == nil {
                diagnostics.error("`\(phone)` is not a phone number", at: c.keyLocation("phone"), hint: "digits, spaces and a leading + only, e.g. +32 2 501 05 55")
            }
            if let url = contact.url { checkExternalURL(url, key: "url", reader: c) }
            c.finish()
            return contact
        }
        for step in support.escalation {
            if let id = step.contact, !contacts.contains(where: { $0.id == id }) {
                diagnostics.error("escalation contact `\(id)` is not defined under `contacts`", at: r.keyLocation("support"),
                                  hint: Spelling.closest(to: id, in: contacts.map(\.id)).map { "did you mean `\($0)`?" })
            }
        }

        var menu: [SiteConfig.MenuItem] = []
        if let items = r.sequence("menu") {
            for item in items {
                guard let m = r.nested(item, what: "a menu entry") else { continue }
                if let section = m.choice("section", SiteConfig.Section.allCases.map(\.rawValue)) {
                    menu.append(.section(SiteConfig.Section(rawValue: section)!))
                } else if let page = m.string("page") {
                    menu.append(.page(page, title: m.localized("title")))
                } else if let url = m.string("url") {
                    checkExternalURL(url, key: "url", reader: m)
                    menu.append(.link(title: m.localized("title") ?? LocalizedText(url), url: url))
                } else if m.keys.isEmpty || !(m.keys.contains("section")) {
                    diagnostics.error("a menu entry needs `section:`, `page:` or `url:`", at: m.location)
                }
                m.finish()
            }
        } else {
            menu = [.section(.dashboard), .section(.catalogue), .section(.incidents), .section(.sla)]
        }

        r.finish()
        var config = SiteConfig(
            title: title, description: description, notice: notice, organisation: organisation, baseURL: baseURL,
            languages: languages, timeZone: timeZone, unsafeHTML: unsafeHTML, brokenLinks: brokenLinks,
            partialOutageWeight: partialWeight, categories: categories, serviceLevels: levels, support: support,
            contacts: contacts, menu: menu)
        config.staleAfter = staleAfter
        config.minimumCoverage = minimumCoverage
        config.incidentsSince = incidentsSince
        config.incidentsSinceLocation = incidentsSinceLocation
        config.referenceTime = referenceTime
        config.dashboardMaxStrips = dashboardMaxStrips
        switch r.node("service_levels") {
        case .mapping?, nil: break
        case _?: config.serviceLevelsUnreadable = true
        }
        if let deliveryModels { config.deliveryModels = deliveryModels }
        return config
    }

    /// `delivery_models`: a mapping of model to fields (`PaaS: {name: …}`), or a list of
    /// models. Nil when absent (the defaults stand) or when it says nothing usable.
    private static func deliveryModels(_ r: YAMLReader) -> [SiteConfig.DeliveryModel]? {
        guard let node = r.node("delivery_models") else { return nil }
        let hint = "e.g. delivery_models: {PaaS: {name: {fr: Platform as a Service}}, SaaS: {}, IaaS: {}}"
        var entries: [(key: YAMLNode, fields: YAMLNode?)] = []
        switch node {
        case .mapping(let mapping): entries = mapping.map { ($0.0, $0.1) }
        case .sequence(let items): entries = items.map { ($0, nil) }
        case .scalar: entries = [(node, nil)]
        }
        var models: [SiteConfig.DeliveryModel] = []
        var keys: [String: String] = [:]
        for (keyNode, fields) in entries {
            guard let id = keyNode.string?.trimmingWhitespace, case .scalar = keyNode else {
                r.diagnostics.error("a delivery model must be a name such as `PaaS`, found \(YAMLReader.describe(keyNode))", at: r.location(of: keyNode), hint: hint)
                continue
            }
            // Sheets write it, pages show it, and its lower case is a URL segment.
            guard id.utf8.count <= 40, Validation.isSafeID(id.lowercased()) else {
                r.diagnostics.error("`\(id)` is not a valid delivery model", at: r.location(of: keyNode),
                                    hint: "letters, digits, `-` and `_`, starting with a letter or digit (e.g. `PaaS`, `On-premises`)")
                continue
            }
            if let first = keys[id.lowercased()] {
                r.diagnostics.error("delivery model `\(id)` is listed twice" + (first == id ? "" : " (as `\(first)`)"), at: r.location(of: keyNode),
                                    hint: "models that differ only in case would share the catalogue's filter page")
                continue
            }
            keys[id.lowercased()] = id
            var model = SiteConfig.DeliveryModel(id: id, name: nil)
            if let fields, !YAMLReader.isNull(fields), let m = r.nested(fields, what: "`delivery_models.\(id)`") {
                model.name = m.localized("name")
                m.finish()
            }
            models.append(model)
        }
        if models.isEmpty {
            r.diagnostics.error("`delivery_models` lists no model", at: r.location(of: node), hint: hint)
            return nil
        }
        return models
    }


    /// `15m`, `1h30m`, `90s`, `2d`: whole numbers with units d, h, m, s, largest first.
    static func parseDuration(_ text: String) -> Duration? {
        let units: [(Character, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        var total: Int64 = 0, digits = "", next = 0
        for c in text {
            if c.isASCII, c.isNumber {
                digits.append(c)
                continue
            }
            guard !digits.isEmpty, digits.count <= 9, let n = Int64(digits),
                  let index = units.firstIndex(where: { $0.0 == c }), index >= next else { return nil }
            total += n * units[index].1
            digits = ""
            next = index + 1
        }
        return digits.isEmpty && next > 0 ? Duration(millis: total) : nil
    }

    /// A mapping of `id: {fields}` kept in file order (the order users wrote is the order shown).
    private static func orderedEntries<T>(_ r: YAMLReader, _ key: String, _ make: (String, YAMLReader) -> T?) -> [T] {
        guard let node = r.node(key) else { return [] }
        guard case .mapping(let mapping) = node else {
            r.diagnostics.error("`\(key)` must be a mapping of id to fields", at: r.location(of: node))
            return []
        }
        var out: [T] = []
        for (k, v) in mapping {
            guard let id = k.string else { continue }
            if !Validation.isSafeID(id) {
                r.diagnostics.error("`\(id)` is not a valid id", at: r.location(of: k), hint: Validation.idHint)
                continue
            }
            guard let nested = r.nested(v, what: "`\(key).\(id)`"), let item = make(id, nested) else { continue }
            out.append(item)
        }
        return out
    }

    /// `label` names the field in the message when `key` alone would be ambiguous.
    private static func checkExternalURL(_ url: String, key: String, label: String? = nil, reader: YAMLReader) {
        if !Validation.isSafeLink(url) {
            reader.diagnostics.error("`\(label ?? key)` must be an http(s), mailto: or tel: link or a path, found `\(url)`", at: reader.keyLocation(key))
        }
    }
}
