import YourICTFormats
import YourICTContent

/// `/api/catalogue.json`: the catalogue's structured data for other tools (a CMDB,
/// an intranet), documented in docs/api.md. Text is given per language; a language
/// without a translation carries the default language's text.
enum CatalogueAPI {
    /// `parallel`: the entries are made on all cores (the caller is not itself one of
    /// several parallel tasks).
    /// `theme` names the delivery models site.yaml does not name.
    package static func document(content: ContentSet, urls: URLBuilder, theme: Theme? = nil, parallel: Bool = false,
                         entry: EntryBuilder = { _, indent, build in .raw(build(indent)) }) -> JSONValue {
        let site = content.site
        let langs = site.languages
        let d = site.defaultLanguage
        func localized(_ text: LocalizedText?) -> JSONValue {
            guard let text else { return .null }
            return .object(langs.map { ($0, .string(text.resolve($0, fallback: d))) })
        }
        // Retired services are no longer offered: not in the catalogue.
        let services: [JSONValue] = content.listedServiceIDs.mapEntries(parallel: parallel) { id -> JSONValue? in
            guard content.services[id]?[d] != nil else { return nil }
            // Entries sit at nesting level 2 (document, then the `services` list).
            return entry(DocumentKey(.service, id), 2) { serviceEntry(id, content: content, urls: urls, indent: $0) }
        }
        return .object([
            ("languages", .array(langs.map { .string($0) })),
            ("categories", .array(site.categories.map { c in
                .object([("id", .string(c.id)), ("name", localized(c.name)), ("weight", .int(Int64(c.weight)))])
            })),
            ("service_levels", .array(site.serviceLevels.map { l in
                .object([("id", .string(l.id)), ("name", localized(l.name)), ("target", .number(l.target)), ("hours", localized(l.hours))])
            })),
            ("delivery_models", .array(site.deliveryModels.map { m in
                .object([("id", .string(m.id)), ("name", .object(langs.map { lang in
                    (lang, .string(m.name?.resolve(lang, fallback: d) ?? theme?.i18n.languages[lang]?.strings["delivery_" + m.key] ?? m.id))
                }))])
            })),
            ("services", .array(services)),
        ])
    }

    /// One service, serialised at nesting level `indent` (written directly: five thousand
    /// of these are most of the file).
    private static func serviceEntry(_ id: String, content: ContentSet, urls: URLBuilder, indent: Int?) -> [UInt8] {
        let site = content.site
        let langs = site.languages
        let d = site.defaultLanguage
        let sheet = content.services[id]![d]!
        // Each language's translation (nil for the default language and where there is
        // none), and its sheet (the original where there is no translation).
        let translations: [ServiceSheet?] = langs.map { $0 == d ? nil : content.services[id]?[$0] }
        let sheets = translations.map { $0 ?? sheet }
        /// An object of one member per language, which `body` writes from that language's sheet.
        func each(_ w: inout JSONWriter, _ body: (inout JSONWriter, String, ServiceSheet) -> Void) {
            w.object { w in for (lang, s) in zip(langs, sheets) { body(&w, lang, s) } }
        }
        /// `item` (a pack, option or component) as each language's sheet has it: the
        /// original where a translation lacks it. (Closures, not key paths: applying a
        /// key path costs a call into the runtime, and these run for every item.)
        func versions<T>(of item: T, _ list: (ServiceSheet) -> [T], _ id: (T) -> String) -> [T] {
            let key = id(item)
            return translations.map { t in t.flatMap { list($0).first { id($0) == key } } ?? item }
        }
        /// A text per language from `all` (an item's versions); a translation that leaves
        /// it out gets the original's, and a language with neither has no member.
        func texts<T>(_ w: inout JSONWriter, _ all: [T], original item: T, _ pick: (T) -> String?) {
            w.object { w in
                for (lang, version) in zip(langs, all) {
                    guard let text = pick(version) ?? pick(item) else { continue }
                    w.key(lang)
                    w.string(text)
                }
            }
        }
        var w = JSONWriter(indent: indent, capacity: 4096)
        w.object { w in
            w.key("id"); w.string(id)
            w.key("title"); each(&w) { w, lang, s in w.key(lang); w.string(s.title) }
            w.key("summary"); each(&w) { w, lang, s in w.key(lang); w.string(s.summary) }
            w.key("category"); w.string(sheet.category)
            w.key("delivery"); w.string(sheet.delivery)
            w.key("service_level"); w.string(sheet.serviceLevel)
            w.key("target"); w.number(site.serviceLevel(sheet.serviceLevel)?.target)
            w.key("tags"); each(&w) { w, lang, s in w.key(lang); w.array { w in for tag in s.tags { w.string(tag) } } }
            w.perLanguage("urls", langs) { urls.absolute(.service(id), lang: $0) }
            w.key("manager")
            if let m = sheet.manager {
                w.object { w in
                    w.key("name"); w.string(m.name)
                    w.key("email"); w.string(m.email)
                    w.key("phone"); w.string(m.phone)
                }
            } else {
                w.null()
            }
            w.key("packs")
            w.array { w in
                for pack in sheet.packs {
                    let all = versions(of: pack, { $0.packs }, { $0.id })
                    w.object { w in
                        w.key("id"); w.string(pack.id)
                        w.key("name"); texts(&w, all, original: pack) { $0.name }
                        w.key("description")
                        if pack.description == nil { w.null() } else { texts(&w, all, original: pack) { $0.description } }
                        w.key("includes")
                        w.object { w in
                            for (lang, version) in zip(langs, all) {
                                w.key(lang)
                                w.array { w in for item in version.includes { w.string(item) } }
                            }
                        }
                        w.key("service_level"); w.string(pack.serviceLevel ?? sheet.serviceLevel)
                    }
                }
            }
            w.key("options")
            w.array { w in
                for option in sheet.options {
                    let all = versions(of: option, { $0.options }, { $0.id })
                    w.object { w in
                        w.key("id"); w.string(option.id)
                        w.key("name"); texts(&w, all, original: option) { $0.name }
                        w.key("description")
                        if option.description == nil { w.null() } else { texts(&w, all, original: option) { $0.description } }
                    }
                }
            }
            w.key("lifecycle")
            w.object { w in
                w.key("stage"); w.string(sheet.lifecycle.stage.rawValue)
                w.key("since"); w.string(sheet.lifecycle.since?.isoString)
                w.key("until"); w.string(sheet.lifecycle.until?.isoString)
                w.key("replaced_by"); w.string(sheet.lifecycle.replacedBy)
            }
            w.key("depends_on")
            w.array { w in for dependency in sheet.dependsOn { w.string(dependency.text) } }
            w.key("components")
            w.array { w in
                for component in sheet.components {
                    w.object { w in
                        w.key("id"); w.string(component.id)
                        w.key("name"); texts(&w, versions(of: component, { $0.components }, { $0.id }), original: component) { $0.name }
                        // Not `monitor`: its label matchers name internal hosts and jobs.
                    }
                }
            }
        }
        return w.finished
    }
}
