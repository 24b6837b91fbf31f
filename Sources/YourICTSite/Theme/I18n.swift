import YourICTSupport
import YourICTFormats
import YourICTContent

/// Interface strings and formats per language, from `templates/i18n/<lang>.yaml`.
public struct I18n: Sendable {
    public struct Language: Sendable {
        public var code: String
        /// The language's name in itself ("Nederlands"), for the language switcher.
        public var name: String
        public var strings: [String: String]
        public var format: LocaleFormat
    }

    public var languages: [String: Language]
    public let defaultLanguage: String

    public func language(_ code: String) -> Language {
        languages[code] ?? languages[defaultLanguage] ?? Language(code: code, name: code, strings: [:], format: LocaleFormat())
    }

    /// A string in `lang`, falling back to the default language, then to the key.
    public func string(_ key: String, _ lang: String) -> String {
        languages[lang]?.strings[key] ?? languages[defaultLanguage]?.strings[key] ?? key
    }

    /// The strings of `lang` with the default language's filling the gaps, as templates see them.
    public func strings(for lang: String) -> [String: String] {
        var merged = languages[defaultLanguage]?.strings ?? [:]
        if let own = languages[lang]?.strings { merged.merge(own) { _, new in new } }
        return merged
    }

    package static func load(tree: SourceTree, folder: String, siteLanguages: [String], diagnostics: DiagnosticBag) -> I18n {
        var languages: [String: Language] = [:]
        var keyLocations: [String: [String: SourceLocation]] = [:]
        var paths: [String: String] = [:]
        for lang in siteLanguages {
            var path = "\(folder)/i18n/\(lang).yaml"
            var bytes: [UInt8]
            do {
                bytes = try tree.read(path)
            } catch SourceTreeError.notFound {
                // A regional code (`fr-BE`) with no file of its own reads its language's (fr.yaml).
                let primary = String(lang.prefix { $0 != "-" })
                let general = "\(folder)/i18n/\(primary).yaml"
                if primary != lang, let found = try? tree.read(general) {
                    bytes = found
                    path = general
                } else if lang == siteLanguages[0] {
                    // Nothing to fall back to: every label of every page would be empty.
                    diagnostics.error("no interface strings for `\(lang)`, the site's first language: \(path) is missing", at: SourceLocation(path: path),
                                      hint: "copy another language's file of \(folder)/i18n/ to \(lang).yaml and translate it")
                    continue
                } else {
                    diagnostics.warning("no interface strings for `\(lang)`: \(path) is missing", at: SourceLocation(path: path),
                                        hint: "copy another language's file and translate it; until then the \(siteLanguages[0]) strings are used")
                    continue
                }
            } catch {
                // A link out of the source: `Theme.load` reported it.
                continue
            }
            paths[lang] = path
            let source: SourceText
            switch SourceText.decode(bytes, path: path) {
            case .success(let s): source = s
            case .failure(let d): diagnostics.add(d); continue
            }
            let node: YAMLNode
            switch YAMLDocument.parse(source.text, path: path, firstLine: 1) {
            case .failure(let d): diagnostics.add(d); continue
            case .success(nil):
                // Empty, or comments only: as if missing, and said as much.
                if lang == siteLanguages[0] {
                    diagnostics.error("no interface strings for `\(lang)`, the site's first language: \(path) is empty", at: SourceLocation(path: path),
                                      hint: "copy another language's file of \(folder)/i18n/ to \(lang).yaml and translate it")
                } else {
                    diagnostics.warning("no interface strings for `\(lang)`: \(path) is empty", at: SourceLocation(path: path),
                                        hint: "copy another language's file and translate it; until then the \(siteLanguages[0]) strings are used")
                }
                continue
            case .success(let n?): node = n
            }
            guard let r = YAMLReader(node, what: path, path: path, lineOffset: 0, languages: [], diagnostics: diagnostics) else { continue }
            var language = Language(code: lang, name: r.string("language_name") ?? lang, strings: [:], format: LocaleFormat())
            if let l = r.mapping("locale") {
                var f = LocaleFormat()
                if let v = l.string("decimal_separator") { f.decimalSeparator = v }
                // Read untrimmed: the separator may be a space (U+202F in French).
                if case .scalar(let v)? = l.node("group_separator") { f.groupSeparator = v.string }
                if let v = l.string("percent") { f.percentPattern = v }
                let months = l.strings("months")
                if !months.isEmpty {
                    if months.count == 12 { f.months = months } else {
                        diagnostics.error("`months` must list 12 names, found \(months.count)", at: l.keyLocation("months"))
                    }
                }
                if let v = l.string("date") { f.datePattern = v }
                if let v = l.string("first_day") { f.firstDay = v }
                if let v = l.string("datetime") { f.dateTimePattern = v }
                if let v = l.string("month") { f.monthPattern = v }
                if let v = l.string("minutes") { f.minutesAbbreviation = v }
                if let v = l.string("hours") { f.hoursAbbreviation = v }
                if let v = l.string("days") { f.daysAbbreviation = v }
                l.finish()
                language.format = f
            }
            if let s = r.node("strings") {
                guard case .mapping(let mapping) = s else {
                    // A list or a text here read as no strings at all: every label empty.
                    diagnostics.error("`strings` must map each key to its text (key: text)", at: r.location(of: s),
                                      hint: "see the other languages' files in \(folder)/i18n/")
                    r.finish()
                    languages[lang] = language
                    continue
                }
                for (k, v) in mapping {
                    guard let key = k.string else { continue }
                    guard case .scalar(let value) = v else {
                        diagnostics.error("interface string `\(key)` must be text", at: r.location(of: v))
                        continue
                    }
                    // `key:` with nothing after it: an empty label (a menu link with no name).
                    if value.string.trimmingCharacters(in: .whitespaces).isEmpty {
                        diagnostics.warning("interface string `\(key)` is empty", at: r.location(of: k),
                                            hint: "give it a text; pages show nothing where it is used")
                    }
                    language.strings[key] = value.string
                    keyLocations[lang, default: [:]][key] = r.location(of: k)
                }
            }
            r.finish()
            languages[lang] = language
        }
        // Every language must have every key any other language has.
        let allKeys = Set(languages.values.flatMap { $0.strings.keys })
        for lang in siteLanguages.sorted() {
            guard let language = languages[lang] else { continue }
            for key in allKeys.subtracting(language.strings.keys).sorted() {
                let other = siteLanguages.first { languages[$0]?.strings[key] != nil } ?? siteLanguages[0]
                let shown = languages[siteLanguages[0]]?.strings[key] != nil
                    ? "until translated, the \(siteLanguages[0]) text is shown" : "until then, pages show nothing there"
                diagnostics.warning("interface string `\(key)` is missing in `\(lang)`",
                                    at: SourceLocation(path: paths[lang] ?? "\(folder)/i18n/\(lang).yaml"),
                                    hint: "it is defined in \(paths[other] ?? "\(other).yaml"); \(shown)")
            }
        }
        return I18n(languages: languages, defaultLanguage: siteLanguages[0])
    }
}
