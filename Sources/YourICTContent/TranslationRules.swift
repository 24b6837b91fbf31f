import YourICTSupport

/// What a translation may change: its text. Fields that decide figures, structure or
/// URLs come from the original; a translation that sets them differently gets a
/// warning and the original's value, so every language shows the same facts.
enum TranslationRules {
    static func reconcile(_ t: inout ServiceSheet, base: ServiceSheet, r: YAMLReader) {
        // An empty value in the original is the placeholder of a field it got wrong (its
        // error is reported there): the translation that repeats the right value has
        // changed nothing.
        if !base.category.isEmpty { check("category", t.category, base.category, r) { t.category = base.category } } else { t.category = base.category }
        if !base.delivery.isEmpty { check("delivery", t.delivery, base.delivery, r) { t.delivery = base.delivery } } else { t.delivery = base.delivery }
        if !base.serviceLevel.isEmpty {
            check("service_level", t.serviceLevel, base.serviceLevel, r) { t.serviceLevel = base.serviceLevel }
        } else {
            t.serviceLevel = base.serviceLevel
        }
        check("weight", t.weight, base.weight, r) { t.weight = base.weight }
        check("down_when", t.downWhen, base.downWhen, r) { t.downWhen = base.downWhen }
        check("draft", t.draft, base.draft, r) { t.draft = base.draft }
        check("lifecycle", t.lifecycle, base.lifecycle, r) { t.lifecycle = base.lifecycle }
        check("depends_on", t.dependsOn.map(\.text), base.dependsOn.map(\.text), r) { t.dependsOn = base.dependsOn }
        // Diagnostics about the graph point at the original's entries.
        t.dependsOn = base.dependsOn
        t.lifecycle = base.lifecycle
        checkItems("packs", "pack", t.packs.map(\.id), base.packs.map(\.id), r) {
            t.packs = base.packs.map { pack in t.packs.first { $0.id == pack.id } ?? pack }
        }
        // A pack's level is a figure: the original's. A translation need not repeat it.
        for (index, pack) in t.packs.enumerated() {
            guard let level = pack.serviceLevel, let original = base.packs.first(where: { $0.id == pack.id }),
                  level != original.serviceLevel else { continue }
            r.diagnostics.warning("a translation cannot change the `service_level` of pack `\(pack.id)`; the original's value is used",
                                  at: itemLocation("packs", index, key: "service_level", r),
                                  hint: "change it in the original file; translations only translate text")
        }
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
        checkItems("options", "option", t.options.map(\.id), base.options.map(\.id), r) {
            t.options = base.options.map { option in t.options.first { $0.id == option.id } ?? option }
        }
        for i in t.options.indices where t.options[i].description == nil {
            t.options[i].description = base.options.first { $0.id == t.options[i].id }?.description
            if t.options[i].description != nil { t.options[i].descriptionLang = base.lang }
        }
        // Components are the original's, in its order: an error, since monitoring and
        // incidents name them by id.
        let a = base.components.map(\.id), b = t.components.map(\.id)
        if a != b {
            let index = firstDifference(b, a)
            let hint = index < b.count ? Spelling.closest(to: b[index], in: a).map { "did you mean `\($0)`?" } : nil
            r.diagnostics.error("the components of this translation (\(b.joined(separator: ", "))) differ from `\(base.id).md` (\(a.joined(separator: ", ")))",
                                at: index < b.count ? itemLocation("components", index, key: "id", r) : r.keyLocation("components"),
                                hint: hint ?? "translations share the original's components, in its order; translate their names only")
        }
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
    /// time and status — or, when both have as many updates, of the same place and status
    /// (a time mistyped in the translation) — and otherwise untranslated, marked with the
    /// original's language. Taking the texts in order attached "resolved" to "identified"
    /// when the translation left an update out; taking a text of another status (by its
    /// time or place) made an incident still open say "Opgelost" in Dutch.
    static func matchedUpdates(_ translated: [Incident.Update], base: Incident) -> [Incident.Update] {
        var unused = Array(translated.indices)
        func take(_ i: Int) -> Incident.Update { unused.removeAll { $0 == i }; return translated[i] }
        var found: [Incident.Update?] = base.updates.map { update in
            if let i = unused.first(where: { translated[$0].at == update.at && translated[$0].status == update.status }) { return take(i) }
            return nil
        }
        if translated.count == base.updates.count {
            for (k, update) in base.updates.enumerated() where found[k] == nil && unused.contains(k) && translated[k].status == update.status {
                found[k] = take(k)
            }
        }
        return base.updates.enumerated().map { k, update in
            var u = update
            if let match = found[k] { u.body = match.body; u.lang = nil } else { u.lang = update.lang ?? base.lang }
            return u
        }
    }

    /// Where two different lists of ids first differ: the first position with different
    /// ids, or the shorter one's end.
    static func firstDifference(_ ids: [String], _ original: [String]) -> Int {
        zip(ids, original).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ids.count, original.count)
    }

    /// The ids of a translation's packs or options are the original's, in its order: the
    /// first that differs is named where it is written, with the original's ids.
    private static func checkItems(_ key: String, _ noun: String, _ ids: [String], _ original: [String], _ r: YAMLReader, restore: () -> Void) {
        guard ids != original else { return }
        let index = firstDifference(ids, original)
        let message: String
        var hint = "translations keep the original's \(key) (\(original.map { "`\($0)`" }.joined(separator: ", "))), in its order, and translate their text"
        if index < ids.count, !original.contains(ids[index]) {
            message = "the \(noun) `\(ids[index])` of this translation is not one of the original's; the original's \(key) are used"
            if let close = Spelling.closest(to: ids[index], in: original) { hint = "did you mean `\(close)`?" }
        } else if index < ids.count {
            message = "the \(key) of this translation are not in the original's order; the original's are used"
        } else {
            message = "this translation leaves out the \(noun) `\(original[index])`; the original's \(key) are used"
        }
        r.diagnostics.warning(message, at: index < ids.count ? itemLocation(key, index, key: "id", r) : r.keyLocation(key), hint: hint)
        restore()
    }

    /// Where item `index` of the list `list` writes `key` (else the item, else the list).
    private static func itemLocation(_ list: String, _ index: Int, key: String, _ r: YAMLReader) -> SourceLocation {
        guard case .sequence(let items)? = r.node(list), index < items.count else { return r.keyLocation(list) }
        if case .mapping(let fields) = items[index], let value = fields[key] { return r.location(of: value) }
        return r.location(of: items[index])
    }

    private static func check<T: Equatable>(_ key: String, _ value: T, _ original: T, _ r: YAMLReader, what: String? = nil, restore: () -> Void) {
        guard value != original else { return }
        r.diagnostics.warning("a translation cannot change \(what ?? "`\(key)`"); the original's value is used", at: r.keyLocation(key),
                              hint: "change it in the original file; translations only translate text")
        restore()
    }
}
