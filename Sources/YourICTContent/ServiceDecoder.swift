import YourICTSupport
import YourICTFormats

/// Front matter of a service sheet to `ServiceSheet`. With a `base` (the default
/// language's sheet), missing fields are inherited instead of being errors.
package enum ServiceDecoder {
    package static func decode(_ file: ContentFile, _ r: YAMLReader, base: ServiceSheet?, site: SiteConfig) -> ServiceSheet? {
        let required = base == nil
        let d = r.diagnostics
        let title = r.string("title", required: required, hint: "the service's name, e.g. title: Messagerie électronique") ?? base?.title
        let summary = r.string("summary", required: required, hint: "one or two sentences shown in the catalogue") ?? base?.summary

        var category = base?.category
        if let c = r.string("category", required: required, hint: "a key of `categories` in site.yaml") {
            if !site.categories.isEmpty, site.category(c) == nil {
                d.error("category `\(c)` is not defined in site.yaml `categories`", at: r.location(of: r.node("category")!),
                        hint: Spelling.closest(to: c, in: site.categories.map(\.id)).map { "did you mean `\($0)`?" }
                            ?? "known categories: \(site.categories.map(\.id).joined(separator: ", "))")
            }
            category = c
        }
        let delivery = r.choice("delivery", site.deliveryModels.map(\.id), required: required) ?? base?.delivery

        var level = base?.serviceLevel
        if let l = r.string("service_level", required: required, hint: "a key of `service_levels` in site.yaml") {
            checkLevel(l, at: r.location(of: r.node("service_level")!), site: site, diagnostics: d)
            level = l
        }

        var manager = base?.manager
        if let m = r.mapping("manager") {
            let name = m.string("name", required: true) ?? ""
            let email = m.string("email"), phone = m.string("phone")
            if let email, !Validation.isEmail(email) { d.error("`\(email)` is not an email address", at: m.keyLocation("email")) }
            if let phone, Validation.telURI(phone) == nil {
                d.error("`\(phone)` is not a phone number", at: m.keyLocation("phone"), hint: "digits, spaces and a leading + only, e.g. +32 2 501 05 55")
            }
            if email == nil && phone == nil {
                d.warning("the service manager has neither `email` nor `phone`", at: m.location, hint: "partners need a way to reach the SPOC")
            }
            m.finish()
            manager = ServiceSheet.Manager(name: name, email: email, phone: phone)
        } else if required, r.node("manager") == nil {
            // A `manager` of the wrong shape has its error from `mapping`; "no manager" is for none.
            d.warning("no `manager`: the sheet names no service manager (SPOC)", at: r.location,
                      hint: "add manager: {name: …, email: …, phone: …}")
        }

        // Ids written in this file, where they are written: checked below.
        var packIDs: [(String, SourceLocation)] = [], optionIDs: [(String, SourceLocation)] = [], componentIDs: [(String, SourceLocation)] = []
        let packs: [ServiceSheet.Pack] = r.node("packs") == nil ? base?.packs ?? [] : items(r, "packs", what: "a pack") { p in
            let id = p.string("id", required: true) ?? ""
            packIDs.append((id, p.node("id").map(p.location(of:)) ?? p.location))
            if let l = p.string("service_level") {
                checkLevel(l, at: p.keyLocation("service_level"), site: site, diagnostics: d)
            }
            return ServiceSheet.Pack(id: id, name: p.string("name", required: true) ?? id, description: p.string("description"),
                                     includes: p.strings("includes"), serviceLevel: p.string("service_level"))
        }
        let options: [ServiceSheet.Option] = r.node("options") == nil ? base?.options ?? [] : items(r, "options", what: "an option") { o in
            let id = o.string("id", required: true) ?? ""
            optionIDs.append((id, o.node("id").map(o.location(of:)) ?? o.location))
            return ServiceSheet.Option(id: id, name: o.string("name", required: true) ?? id, description: o.string("description"))
        }
        let components: [ServiceSheet.Component] = r.node("components") == nil ? base?.components ?? [] : items(r, "components", what: "a component") { c in
            let id = c.string("id", required: true) ?? ""
            componentIDs.append((id, c.node("id").map(c.location(of:)) ?? c.location))
            var monitor: [String: String] = [:]
            var monitorLocation: SourceLocation? = nil
            if let m = c.node("monitor") {
                monitorLocation = c.location(of: m)
                monitor = matchers(m, "monitor", example: "{job: blackbox, instance: \"https://…\"}", c, d)
            }
            var latency: [String: String] = [:]
            var latencyLocation: SourceLocation? = nil
            if let m = c.node("latency") {
                latencyLocation = c.location(of: m)
                latency = matchers(m, "latency", example: "{__name__: probe_duration_seconds, instance: \"https://…\"}", c, d)
                // Without a metric name, the matchers would take the up/down series too.
                if case .mapping = m, latency["__name__"] == nil {
                    d.error("`latency` must name the metric with `__name__`", at: c.location(of: m),
                            hint: "for example {__name__: probe_duration_seconds, job: blackbox, instance: \"https://…\"}; the values are seconds")
                }
            }
            return ServiceSheet.Component(id: id, name: c.string("name", required: true) ?? id, description: c.string("description"),
                                          monitor: monitor, monitorLocation: monitorLocation, latency: latency, latencyLocation: latencyLocation)
        }
        checkUniqueIDs(packIDs, what: "pack", diagnostics: d)
        checkUniqueIDs(optionIDs, what: "option", diagnostics: d)
        checkUniqueIDs(componentIDs, what: "component", diagnostics: d)

        let tags = r.node("tags") == nil ? base?.tags ?? [] : decodeTags(r)
        let draft = r.bool("draft") ?? base?.draft ?? false
        let weight = r.int("weight") ?? base?.weight ?? 0
        let downWhen = r.choice("down_when", ServiceSheet.DownRule.allCases.map(\.rawValue)).flatMap(ServiceSheet.DownRule.init(rawValue:))
            ?? base?.downWhen ?? .any
        let lifecycle = r.node("lifecycle") == nil ? base?.lifecycle ?? Lifecycle() : decodeLifecycle(r)
        let dependsOn = r.node("depends_on") == nil ? base?.dependsOn ?? [] : decodeDependencies(r, service: file.id)

        // A missing or invalid field was reported above; the sheet is still kept (with
        // placeholders) so that links and incidents pointing to it do not add errors.
        var sheet = ServiceSheet(
            id: file.id, lang: file.lang, path: file.path, title: title ?? file.id, summary: summary ?? "", category: category ?? "",
            delivery: delivery ?? "", serviceLevel: level ?? "", manager: manager, packs: packs, options: options,
            components: components, tags: tags, draft: draft, weight: weight, downWhen: downWhen, lifecycle: lifecycle,
            dependsOn: dependsOn, body: file.body)
        if let base {
            TranslationRules.reconcile(&sheet, base: base, r: r)
            let fields: [(String, ServiceSheet.TextField)] = [("title", .title), ("summary", .summary), ("tags", .tags), ("packs", .packs), ("options", .options), ("components", .components)]
            for (key, field) in fields where r.node(key) == nil { sheet.inherit(field, from: base.lang(of: field)) }
        }
        sheet.sortKey = ContentSet.sortKey(sheet.title)
        if let node = r.node("title") { sheet.titleLocation = r.location(of: node) }
        return sheet
    }

    /// `lifecycle: deprecated`, or `lifecycle: {stage: deprecated, since: 2026-06-01,
    /// until: 2027-03-31, replaced_by: other-service}`. What can be checked within the
    /// sheet is checked here; `replaced_by` naming a service, by the validator.
    static func decodeLifecycle(_ r: YAMLReader) -> Lifecycle {
        let d = r.diagnostics
        let stages = Lifecycle.Stage.allCases.map(\.rawValue)
        if case .scalar = r.node("lifecycle")! {
            return r.choice("lifecycle", stages).flatMap(Lifecycle.Stage.init(rawValue:)).map { Lifecycle(stage: $0) } ?? Lifecycle()
        }
        guard let m = r.mapping("lifecycle") else { return Lifecycle() }
        defer { m.finish() }
        guard let stage = m.choice("stage", stages, required: true).flatMap(Lifecycle.Stage.init(rawValue:)) else {
            _ = (m.node("since"), m.node("until"), m.node("replaced_by"))
            return Lifecycle()
        }
        func date(_ key: String) -> CivilDate? {
            guard let text = m.string(key) else { return nil }
            guard let date = Lifecycle.parseDate(text) else {
                d.error("`\(key)` must be a date such as 2026-06-01, found `\(text)`", at: m.location(of: m.node(key)!),
                        hint: "a calendar day, year-month-day; the site's time zone makes it an instant")
                return nil
            }
            return date
        }
        var lifecycle = Lifecycle(stage: stage, since: date("since"), until: date("until"))
        if let since = lifecycle.since, let until = lifecycle.until, until < since {
            d.error("`until` (\(until.isoString)) is before `since` (\(since.isoString))", at: m.keyLocation("until"))
        }
        switch stage {
        case .production where lifecycle.until != nil:
            d.error("a service in production has no `until`", at: m.keyLocation("until"),
                    hint: "to announce its end, set stage: deprecated with until: the day it is retired")
            lifecycle.until = nil
        case .retired where lifecycle.until != nil:
            d.error("a retired service has no `until`; `since` is the day it was retired", at: m.keyLocation("until"))
            lifecycle.until = nil
        case .retired where lifecycle.since == nil && m.node("since") == nil:
            d.error("a retired service needs `since`: the day it was retired", at: m.location,
                    hint: "its figures and SLA history end there, e.g. since: 2026-10-01")
        default:
            break
        }
        if let replacement = m.string("replaced_by") {
            if stage != .deprecated && stage != .retired {
                d.error("only a deprecated or retired service has `replaced_by`", at: m.keyLocation("replaced_by"),
                        hint: "set stage: deprecated (with until:) when the service is to be replaced")
            } else if !Validation.isSafeID(replacement) {
                d.error("`replaced_by` must be a service id, found `\(replacement)`", at: m.keyLocation("replaced_by"), hint: Validation.idHint)
            } else {
                lifecycle.replacedBy = replacement
                lifecycle.replacedByLocation = m.location(of: m.node("replaced_by")!)
            }
        }
        return lifecycle
    }

    /// `depends_on: [hebergement-applications, bases-de-donnees/postgresql]`. Ids are
    /// checked against the other sheets, and cycles found, by the validator.
    static func decodeDependencies(_ r: YAMLReader, service: String) -> [ServiceSheet.Dependency] {
        var out: [ServiceSheet.Dependency] = []
        for (text, location) in r.stringsWithLocations("depends_on") {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy(Validation.isSafeID) else {
                r.diagnostics.error("`\(text)` is not a service id or service/component id", at: location, hint: Validation.idHint)
                continue
            }
            let dependency = ServiceSheet.Dependency(service: parts[0], component: parts.count == 2 ? parts[1] : nil, location: location)
            if out.contains(where: { $0.text == dependency.text }) {
                r.diagnostics.warning("`\(text)` is listed twice in `depends_on`", at: location)
                continue
            }
            out.append(dependency)
        }
        return out
    }

    /// A keyword becomes a filter page through its slug: one with no letter or digit
    /// (`???`, `🎥`) has none, and vanished from the catalogue's filters without a word.
    /// At most this many keywords on a sheet, and distinct keywords in a language
    /// (`ContentValidator`): each keyword is a catalogue page that lists every other, so
    /// 10,000 of them made a build run for an hour and write 23 GB.
    package static let maximumTagsPerSheet = 50
    package static let maximumTagsPerLanguage = 500

    private static func decodeTags(_ r: YAMLReader) -> [String] {
        let tags = r.stringsWithLocations("tags")
        if tags.count > maximumTagsPerSheet {
            r.diagnostics.error("\(tags.count) keywords: a service has at most \(maximumTagsPerSheet)", at: r.keyLocation("tags"),
                                hint: "keep the keywords a reader filters the catalogue by; each is a page listing every other")
            return []
        }
        return tags.map { tag, location in
            if Slugger.slugify(tag).isEmpty {
                r.diagnostics.warning("the keyword `\(tag)` has no letter or digit: no filter page lists it", at: location,
                                      hint: "write it with letters or digits, e.g. `vidéo`")
            }
            return tag
        }
    }

    private static func checkLevel(_ level: String, at location: SourceLocation, site: SiteConfig, diagnostics: DiagnosticBag) {
        guard site.serviceLevel(level) == nil, !site.serviceLevelsUnreadable else { return }
        let hint = site.serviceLevels.isEmpty
            ? "site.yaml defines no levels: add `\(level)` under `service_levels` (with its `target`, e.g. 99.9)"
            : Spelling.closest(to: level, in: site.serviceLevels.map(\.id)).map { "did you mean `\($0)`?" }
                ?? "defined levels: \(site.serviceLevels.map(\.id).joined(separator: ", "))"
        diagnostics.error("service level `\(level)` is not defined in site.yaml `service_levels`", at: location, hint: hint)
    }

    /// Label matchers: a mapping of label names to values (`monitor`, `latency`).
    private static func matchers(_ node: YAMLNode, _ key: String, example: String, _ c: YAMLReader, _ d: DiagnosticBag) -> [String: String] {
        guard case .mapping(let mapping) = node else {
            d.error("`\(key)` must map label names to values, e.g. \(example)", at: c.location(of: node))
            return [:]
        }
        var out: [String: String] = [:]
        for (k, v) in mapping {
            guard let name = k.string, case .scalar(let value) = v else {
                d.error("`\(key)` must map label names to values, e.g. \(example)", at: c.location(of: v))
                continue
            }
            out[name] = value.string
        }
        return out
    }

    /// Decodes a list of mappings, each with its own reader (so unknown keys are reported per item).
    static func items<T>(_ r: YAMLReader, _ key: String, what: String, _ make: (YAMLReader) -> T) -> [T] {
        (r.sequence(key) ?? []).compactMap { node in
            guard let item = r.nested(node, what: what) else { return nil }
            let value = make(item)
            item.finish()
            return value
        }
    }

    /// Ids of packs, options or components become anchors and API keys: each must be a
    /// valid id, once per sheet. Reported where the id is written.
    private static func checkUniqueIDs(_ ids: [(String, SourceLocation)], what: String, diagnostics: DiagnosticBag) {
        var seen = Set<String>()
        for (id, location) in ids where !id.isEmpty {
            if !Validation.isSafeID(id) {
                diagnostics.error("\(what) id `\(id)` is not valid", at: location, hint: Validation.idHint)
            } else if !seen.insert(id).inserted {
                diagnostics.error("\(what) id `\(id)` is used twice", at: location, hint: "ids must be unique within a sheet")
            }
        }
    }
}

package enum PageDecoder {
    package static func decode(_ file: ContentFile, _ r: YAMLReader, base: Page?) -> Page? {
        if base == nil, Validation.reservedSlugs.contains(file.id) {
            r.diagnostics.error("`\(file.id)` cannot be a page name: it is reserved for the site's own pages and files", at: SourceLocation(path: file.path),
                                hint: "rename the file")
            // Its fields are a page's: not also "unknown field" each.
            for key in ["title", "summary", "weight", "draft"] { _ = r.node(key) }
            return nil
        }
        let title = r.string("title", required: base == nil, hint: "e.g. title: Support général") ?? base?.title ?? file.id
        var page = Page(slug: file.id, lang: file.lang, path: file.path, title: title, summary: r.string("summary") ?? base?.summary,
                        weight: r.int("weight") ?? base?.weight ?? 0, draft: r.bool("draft") ?? base?.draft ?? false, body: file.body)
        if let base { TranslationRules.reconcile(&page, base: base, r: r) }
        page.sortKey = ContentSet.sortKey(page.title)
        return page
    }
}
