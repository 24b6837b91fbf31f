/// What a translation may change: its text. Fields that decide figures, structure or
/// URLs come from the original; a translation that sets them differently gets a
/// warning and the original's value, so every language shows the same facts.
enum TranslationRules {
    static func reconcile(_ t: inout ServiceSheet, base: ServiceSheet, r: YAMLReader) {
        check("category", t.category, base.category, r) { t.category = base.category }
        check("delivery", t.delivery, base.delivery, r) { t.delivery = base.delivery }
        check("service_level", t.serviceLevel, base.serviceLevel, r) { t.serviceLevel = base.serviceLevel }
        check("weight", t.weight, base.weight, r) { t.weight = base.weight }
        check("down_when", t.downWhen, base.downWhen, r) { t.downWhen = base.downWhen }
        check("draft", t.draft, base.draft, r) { t.draft = base.draft }
        check("lifecycle", t.lifecycle, base.lifecycle, r) { t.lifecycle = base.lifecycle }
        check("depends_on", t.dependsOn.map(\.text), base.dependsOn.map(\.text), r) { t.dependsOn = base.dependsOn }
        // Diagnostics about the graph point at the original's entries.
        t.dependsOn = base.dependsOn
        t.lifecycle = base.lifecycle
        check("packs", t.packs.map(\.id), base.packs.map(\.id), r, what: "the packs (their ids and order)") {
            t.packs = base.packs.map { pack in t.packs.first { $0.id == pack.id } ?? pack }
        }
        // A pack's level is a figure: the original's. A translation need not repeat it.
        let setLevels = t.packs.filter { $0.serviceLevel != nil }.map { [$0.id, $0.serviceLevel!] }
        let baseLevels = base.packs.filter { p in setLevels.contains { $0[0] == p.id } }.map { [$0.id, $0.serviceLevel ?? ""] }
        check("packs", setLevels, baseLevels, r, what: "a pack's `service_level`") {}
        for i in t.packs.indices {
            guard let original = base.packs.first(where: { $0.id == t.packs[i].id }) else { continue }
            t.packs[i].serviceLevel = original.serviceLevel
            // Text a translation leaves out: the original's rather than nothing.
            if t.packs[i].description == nil, original.description != nil {
                t.packs[i].description = original.description
                t.packs[i].descriptionLang = base.lang
            }
            if t.packs[i].includes.isEmpty, !original.includes.isEmpty {
                t.packs[i].includes = original.includes
                t.packs[i].includesLang = base.lang
            }
        }
        check("options", t.options.map(\.id), base.options.map(\.id), r, what: "the options (their ids and order)") {
            t.options = base.options.map { option in t.options.first { $0.id == option.id } ?? option }
        }
        for i in t.options.indices where t.options[i].description == nil {
            t.options[i].description = base.options.first { $0.id == t.options[i].id }?.description
            if t.options[i].description != nil { t.options[i].descriptionLang = base.lang }
        }
        // Components are compared by the validator (an error: monitoring relies on them).
        for i in t.components.indices where i < base.components.count {
            t.components[i].monitor = base.components[i].monitor
            t.components[i].monitorLocation = base.components[i].monitorLocation
            t.components[i].latency = base.components[i].latency
            t.components[i].latencyLocation = base.components[i].latencyLocation
        }
    }

    /// A page's place in the menu and whether it is published are the original's.
    static func reconcile(_ t: inout Page, base: Page, r: YAMLReader) {
        check("weight", t.weight, base.weight, r) { t.weight = base.weight }
        check("draft", t.draft, base.draft, r) { t.draft = base.draft }
    }

    static func reconcile(_ t: inout Incident, base: Incident, r: YAMLReader) {
        check("kind", t.kind, base.kind, r) { t.kind = base.kind }
        check("severity", t.severity, base.severity, r) { t.severity = base.severity }
        check("affected", t.affected.map(\.text), base.affected.map(\.text), r) { t.affected = base.affected }
        check("started_at", t.startedAt, base.startedAt, r) { t.startedAt = base.startedAt }
        check("resolved_at", t.resolvedAt, base.resolvedAt, r) { t.resolvedAt = base.resolvedAt }
        check("scheduled_for", t.scheduledFor, base.scheduledFor, r) { t.scheduledFor = base.scheduledFor }
        check("scheduled_until", t.scheduledUntil, base.scheduledUntil, r) { t.scheduledUntil = base.scheduledUntil }
        check("draft", t.draft, base.draft, r) { t.draft = base.draft }
        // Updates: times and statuses from the original, bodies from the translation.
        let same = t.updates.count == base.updates.count && zip(t.updates, base.updates).allSatisfy { $0.at == $1.at && $0.status == $1.status }
        if !same {
            r.diagnostics.warning("the updates of this translation differ from the original's in number, times or statuses; the original's are used, each with the translated text of the same time",
                                  at: r.keyLocation("updates"), hint: "a translation repeats each update's `at` and `status` and translates `body`")
            t.updates = matchedUpdates(t.updates, base: base)
        }
    }

    /// The original's updates, each with the body of the translation's update of the same
    /// time (and status, when two share a time) — or, when both have as many updates, of
    /// the same place (a time mistyped in the translation) — and otherwise untranslated,
    /// marked with the original's language. Taking the texts in order attached "resolved"
    /// to "identified" when the translation left an update out.
    static func matchedUpdates(_ translated: [Incident.Update], base: Incident) -> [Incident.Update] {
        var unused = Array(translated.indices)
        func take(_ i: Int) -> Incident.Update { unused.removeAll { $0 == i }; return translated[i] }
        var found: [Incident.Update?] = base.updates.map { update in
            if let i = unused.first(where: { translated[$0].at == update.at && translated[$0].status == update.status }) { return take(i) }
            return nil
        }
        for (k, update) in base.updates.enumerated() where found[k] == nil {
            if let i = unused.first(where: { translated[$0].at == update.at }) { found[k] = take(i) }
        }
        if translated.count == base.updates.count {
            for k in base.updates.indices where found[k] == nil && unused.contains(k) { found[k] = take(k) }
        }
        return base.updates.enumerated().map { k, update in
            var u = update
            if let match = found[k] { u.body = match.body; u.lang = nil } else { u.lang = update.lang ?? base.lang }
            return u
        }
    }

    private static func check<T: Equatable>(_ key: String, _ value: T, _ original: T, _ r: YAMLReader, what: String? = nil, restore: () -> Void) {
        guard value != original else { return }
        r.diagnostics.warning("a translation cannot change \(what ?? "`\(key)`"); the original's value is used", at: r.keyLocation(key),
                              hint: "change it in the original file; translations only translate text")
        restore()
    }
}
