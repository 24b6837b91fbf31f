/// `/api/catalogue.json`: the catalogue's structured data for other tools (a CMDB,
/// an intranet), documented in docs/api.md. Text is given per language; a language
/// without a translation carries the default language's text.
enum CatalogueAPI {
    static func document(content: ContentSet, urls: URLBuilder, entry: EntryBuilder = { _, _, build in build() }) -> JSONValue {
        let site = content.site
        let langs = site.languages
        let d = site.defaultLanguage
        func localized(_ text: LocalizedText?) -> JSONValue {
            guard let text else { return .null }
            return .object(langs.map { ($0, .string(text.resolve($0, fallback: d))) })
        }
        let services: [JSONValue] = content.orderedServiceIDs.compactMap { id -> JSONValue? in
            guard content.services[id]?[d] != nil else { return nil }
            // Entries sit at nesting level 2 (document, then the `services` list).
            return entry(DocumentKey(.service, id), 2) { serviceEntry(id, content: content, urls: urls) }
        }
        return .object([
            ("languages", .array(langs.map { .string($0) })),
            ("categories", .array(site.categories.map { c in
                .object([("id", .string(c.id)), ("name", localized(c.name)), ("weight", .int(Int64(c.weight)))])
            })),
            ("service_levels", .array(site.serviceLevels.map { l in
                .object([("id", .string(l.id)), ("name", localized(l.name)), ("target", .number(l.target)), ("hours", localized(l.hours))])
            })),
            ("services", .array(services)),
        ])
    }

    private static func serviceEntry(_ id: String, content: ContentSet, urls: URLBuilder) -> JSONValue {
        let site = content.site
        let langs = site.languages
        let d = site.defaultLanguage
        func perLanguage(_ value: (String) -> String?) -> JSONValue {
            .object(langs.compactMap { lang in value(lang).map { (lang, .string($0)) } })
        }
        let sheet = content.services[id]![d]!
        let sheets = langs.map { content.service(id, in: $0) ?? sheet }
        func text(_ pick: @escaping (ServiceSheet) -> String?) -> JSONValue {
            perLanguage { lang in pick(content.service(id, in: lang) ?? sheet) }
        }
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("title", text(\.title)),
            ("summary", text(\.summary)),
            ("category", .string(sheet.category)),
            ("delivery", .string(sheet.delivery.rawValue)),
            ("service_level", .string(sheet.serviceLevel)),
            ("target", site.serviceLevel(sheet.serviceLevel).map { .number($0.target) } ?? .null),
            ("tags", .object(zip(langs, sheets).map { lang, s in (lang, .array(s.tags.map { .string($0) })) })),
            ("urls", perLanguage { urls.absolute(.service(id), lang: $0) }),
        ]
        if let m = sheet.manager {
            fields.append(("manager", .object([("name", .string(m.name)), ("email", .optional(m.email)), ("phone", .optional(m.phone))])))
        } else {
            fields.append(("manager", .null))
        }
        fields.append(("packs", .array(sheet.packs.map { pack in
            func packText(_ pick: @escaping (ServiceSheet.Pack) -> String?) -> JSONValue {
                // A translation that leaves a text out gets the original's.
                .object(zip(langs, sheets).compactMap { lang, s in
                    let p = s.packs.first { $0.id == pack.id } ?? pack
                    return (pick(p) ?? pick(pack)).map { (lang, .string($0)) }
                })
            }
            return .object([
                ("id", .string(pack.id)),
                ("name", packText(\.name)),
                ("description", pack.description == nil ? .null : packText(\.description)),
                ("includes", .object(zip(langs, sheets).map { lang, s in
                    (lang, .array((s.packs.first { $0.id == pack.id } ?? pack).includes.map { .string($0) }))
                })),
                ("service_level", .string(pack.serviceLevel ?? sheet.serviceLevel)),
            ])
        })))
        fields.append(("options", .array(sheet.options.map { option in
            .object([
                ("id", .string(option.id)),
                ("name", .object(zip(langs, sheets).map { lang, s in (lang, .string((s.options.first { $0.id == option.id } ?? option).name)) })),
                ("description", option.description == nil ? .null
                    : .object(zip(langs, sheets).map { lang, s in
                        (lang, .string((s.options.first { $0.id == option.id } ?? option).description ?? option.description ?? ""))
                    })),
            ])
        })))
        fields.append(("components", .array(sheet.components.map { component in
            .object([
                ("id", .string(component.id)),
                ("name", .object(zip(langs, sheets).map { lang, s in (lang, .string((s.components.first { $0.id == component.id } ?? component).name)) })),
                // Not `monitor`: its label matchers name internal hosts and jobs.
            ])
        })))
        return .object(fields)
    }
}
