import Foundation
import YourICTSupport
import YourICTFormats

/// Everything under `content/`, decoded and checked against itself.
public struct ContentSet: Sendable {
    public var site: SiteConfig
    /// Per id, per language. The default language always exists for an id.
    public var services: [String: [String: ServiceSheet]]
    public var pages: [String: [String: Page]]
    public var incidents: [String: [String: Incident]]
    /// Documents whose default-language file exists but could not be read (invalid YAML,
    /// a missing required field): already reported, so references to them are not
    /// reported again as references to nothing.
    public var unreadable: Set<DocumentKey> = []
    /// Drafts left out of this build (no `--drafts`): a reference to one says so, not
    /// "there is no service".
    public var drafts: Set<DocumentKey> = []

    /// How an error about a reference to `key` that resolves to nothing ends: a draft is
    /// not "nothing" (its file is there), and says how to see it.
    public func absence(_ key: DocumentKey) -> (text: String, hint: String)? {
        guard drafts.contains(key) else { return nil }
        return ("`\(key.id)` is a draft (`draft: true`), left out of this build",
                "publish it (remove `draft: true`) before what names it, or preview both with `--drafts`")
    }

    /// Service ids, sorted; and in catalogue order (weight, then title, then id).
    public private(set) var serviceIDs: [String] = []
    public private(set) var orderedServiceIDs: [String] = []
    /// Page slugs in menu order (weight, then title, then slug).
    public private(set) var orderedPageSlugs: [String] = []
    /// In catalogue order, the services of the current lists — catalogue, search,
    /// `/api/services.json`, `/api/catalogue.json`: all but the retired ones.
    public private(set) var listedServiceIDs: [String] = []
    /// In catalogue order, the services in operation (pilot, production, deprecated):
    /// those with a state now, on the dashboard and in the Statuspage components.
    public private(set) var operatingServiceIDs: [String] = []
    /// Per service, the services whose `depends_on` names it or one of its components,
    /// in catalogue order.
    public private(set) var dependants: [String: [String]] = [:]

    public init(site: SiteConfig, services: [String: [String: ServiceSheet]], pages: [String: [String: Page]], incidents: [String: [String: Incident]]) {
        self.site = site
        self.services = services
        self.pages = pages
        self.incidents = incidents
        computeOrder()
    }

    /// Sorting happens once, here, rather than wherever an order is needed. The
    /// comparison is byte-wise on folded text, never locale-dependent, so that every
    /// machine sorts the same way.
    mutating func computeOrder() {
        let d = site.defaultLanguage
        serviceIDs = services.keys.sorted()
        orderedServiceIDs = Self.ordered(serviceIDs.map { id in
            let s = services[id]![d]!
            return SortKey(id: id, weight: s.weight, folded: s.sortKey)
        })
        var listed: [String] = [], operating: [String] = [], dependants: [String: [String]] = [:]
        for id in orderedServiceIDs {
            let s = services[id]![d]!
            if s.lifecycle.isListed { listed.append(id) }
            if s.lifecycle.isInOperation { operating.append(id) }
            for dependency in s.dependsOn where dependency.service != id && dependants[dependency.service]?.last != id {
                dependants[dependency.service, default: []].append(id)
            }
        }
        listedServiceIDs = listed
        operatingServiceIDs = operating
        self.dependants = dependants
        orderedPageSlugs = Self.ordered(pages.keys.map { slug in
            let p = pages[slug]![d]!
            return SortKey(id: slug, weight: p.weight, folded: p.sortKey)
        })
    }

    static func sortKey(_ text: String) -> String { Slugger.slugify(text) }
    /// Two titles that differ only in case and spaces name the same card.
    static func titleKey(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The lifecycles as they stand on `today` (the reference time's day in the site's
    /// time zone): a retirement written ahead of its day is a deprecation until then —
    /// the service still runs, with its state and figures, to the day before `since`,
    /// and is listed "until" that day with its replacement. The ids changed.
    @discardableResult
    public mutating func retirements(asOf today: CivilDate) -> [String] {
        let d = site.defaultLanguage
        let ahead = serviceIDs.filter { id in
            guard let l = services[id]?[d]?.lifecycle, l.stage == .retired, let since = l.since else { return false }
            return since > today
        }
        for id in ahead {
            for lang in services[id]!.keys {
                let l = services[id]![lang]!.lifecycle
                services[id]![lang]!.lifecycle = Lifecycle(stage: .deprecated, until: l.since!.adding(days: -1), replacedBy: l.replacedBy,
                                                           replacedByLocation: l.replacedByLocation)
            }
        }
        if !ahead.isEmpty { computeOrder() }
        return ahead
    }

    /// Weight, then folded title, then id.
    struct SortKey: Equatable {
        var id: String
        var weight: Int
        var folded: String
    }

    static func ordered(_ keys: [SortKey]) -> [String] {
        keys.sorted { ($0.weight, $0.folded, $0.id) < ($1.weight, $1.folded, $1.id) }.map(\.id)
    }

    /// Empties every body's Markdown text (see `MarkdownSource.release`).
    package func releaseMarkdownSources() {
        for byLang in services.values { for sheet in byLang.values { sheet.body.release() } }
        for byLang in pages.values { for page in byLang.values { page.body.release() } }
        for byLang in incidents.values { for incident in byLang.values { incident.body.release() } }
    }

    /// The sheet in `lang`, or the default language's one as a fallback.
    public func service(_ id: String, in lang: String) -> ServiceSheet? {
        services[id]?[lang] ?? services[id]?[site.defaultLanguage]
    }

    public func page(_ slug: String, in lang: String) -> Page? {
        pages[slug]?[lang] ?? pages[slug]?[site.defaultLanguage]
    }

    public func incident(_ id: String, in lang: String) -> Incident? {
        incidents[id]?[lang] ?? incidents[id]?[site.defaultLanguage]
    }


}

/// Loads `content/`: `site.yaml`, then every sheet, page and incident in parallel.
public enum ContentLoader {
    /// `siteLoaded` sees the site configuration as soon as it is read, before the content.
    package static func load(from tree: SourceTree, includeDrafts: Bool, diagnostics: DiagnosticBag, cache: ContentReuse? = nil,
                            siteLoaded: (SiteConfig) -> Void = { _ in }) -> ContentSet? {
        guard let site = SiteConfigLoader.load(from: tree, diagnostics: diagnostics) else { return nil }
        siteLoaded(site)
        let langs = site.languages
        let zone = site.timeZone

        // Without a cache (`build`), originals are decoded as they are parsed.
        func early<T>(_ decode: @escaping @Sendable (ContentFile, YAMLReader, T?) -> T?) -> (@Sendable (ContentFile, YAMLNode) -> (T?, [Diagnostic]))? {
            guard cache == nil else { return nil }
            return { @Sendable file, node in decodeOne(file, node, base: nil, languages: langs, timeZone: zone, decode: decode) }
        }
        let decodeService: @Sendable (ContentFile, YAMLReader, ServiceSheet?) -> ServiceSheet? = { file, r, base in
            ServiceDecoder.decode(file, r, base: base, site: site)
        }
        let decodePage: @Sendable (ContentFile, YAMLReader, Page?) -> Page? = { file, r, base in PageDecoder.decode(file, r, base: base) }
        let decodeIncident: @Sendable (ContentFile, YAMLReader, Incident?) -> Incident? = { file, r, base in IncidentDecoder.decode(file, r, base: base) }
        let serviceFiles = ContentFile.loadAll(in: "content/services", tree: tree, languages: langs, diagnostics: diagnostics, cache: cache,
                                               decodeOriginal: early(decodeService))
        let pageFiles = ContentFile.loadAll(in: "content/pages", tree: tree, languages: langs, diagnostics: diagnostics, cache: cache,
                                            decodeOriginal: early(decodePage))
        let incidentFiles = ContentFile.loadAll(in: "content/incidents", tree: tree, languages: langs, diagnostics: diagnostics, cache: cache,
                                                decodeOriginal: early(decodeIncident))

        // Decoding depends on site.yaml (languages, categories, levels): part of the cache key.
        let siteKey = cache.map { _ in tree.stamp(SiteConfigLoader.path).hashValue }
        let decodeCache = cache.map { DecodeCache(cache: $0, tree: tree, siteKey: siteKey ?? 0) }
        // The ids that have a default-language file, readable or not.
        // (`serve` lists a folder again only when a file appears or goes: the same list.)
        func originals(_ folder: String) -> Set<String> {
            func ids(_ paths: [String]) -> Set<String> {
                var ids = Set<String>(minimumCapacity: paths.count)
                for path in paths where path.hasSuffix(".md") {
                    let name = ContentFile.baseName(path)
                    if !name.utf8.contains(46) { ids.insert(String(name)) }
                }
                return ids
            }
            let paths = tree.files(in: folder)
            return cache?.originals(folder, paths: paths, make: ids) ?? ids(paths)
        }
        let serviceOriginals = originals("content/services"), pageOriginals = originals("content/pages"),
            incidentOriginals = originals("content/incidents")
        let services = merge(serviceFiles, kind: "service sheet", originals: serviceOriginals, site: site, diagnostics: diagnostics,
                             cache: decodeCache, decode: decodeService)
        let pages = merge(pageFiles, kind: "page", originals: pageOriginals, site: site, diagnostics: diagnostics,
                          cache: decodeCache, decode: decodePage)
        let incidents = merge(incidentFiles, kind: "incident", originals: incidentOriginals, site: site, diagnostics: diagnostics,
                              cache: decodeCache, decode: decodeIncident)

        var content = ContentSet(site: site, services: services, pages: pages, incidents: incidents)
        // Decoded ids are originals; the same count means none is unreadable.
        func unreadable<T>(_ originals: Set<String>, _ decoded: [String: T], _ kind: DocumentKey.Kind) -> [DocumentKey] {
            originals.count == decoded.count ? [] : originals.subtracting(decoded.keys).map { DocumentKey(kind, $0) }
        }
        content.unreadable = Set(unreadable(serviceOriginals, services, .service) + unreadable(pageOriginals, pages, .page)
                                 + unreadable(incidentOriginals, incidents, .incident))
        let d = site.defaultLanguage
        func hasDrafts<T>(_ documents: [String: [String: T]], _ isDraft: (T) -> Bool) -> Bool {
            documents.values.contains { $0[d].map(isDraft) ?? false }
        }
        if !includeDrafts, hasDrafts(content.services, \.draft) || hasDrafts(content.pages, \.draft) || hasDrafts(content.incidents, \.draft) {
            let services = content.services.filter { !($0.value[d]?.draft ?? false) }
            let pages = content.pages.filter { !($0.value[d]?.draft ?? false) }
            let incidents = content.incidents.filter { !($0.value[d]?.draft ?? false) }
            content.drafts = Set(content.services.keys.filter { services[$0] == nil }.map { DocumentKey(.service, $0) }
                                 + content.pages.keys.filter { pages[$0] == nil }.map { DocumentKey(.page, $0) }
                                 + content.incidents.keys.filter { incidents[$0] == nil }.map { DocumentKey(.incident, $0) })
            if services.count != content.services.count || pages.count != content.pages.count
                || incidents.count != content.incidents.count {
                content.services = services
                content.pages = pages
                content.incidents = incidents
                content.computeOrder()
            }
        }
        ContentValidator(content: content, diagnostics: diagnostics).validate()
        return content
    }

    /// Decodes default-language files first, then translations on top of them, so a
    /// translation only needs the fields it translates.
    /// Decoded files from the previous generation (`serve`), valid while the file, the
    /// site configuration and (for a translation) the original are unchanged.
    struct DecodeCache: Sendable {
        let cache: ContentReuse
        let tree: SourceTree
        let siteKey: Int

        package func key(_ file: ContentFile, basePath: String?) -> Int? {
            guard let stamp = tree.stamp(file.path) else { return nil }
            var h = Hasher()
            h.combine(stamp)
            h.combine(siteKey)
            if let basePath { h.combine(basePath); h.combine(tree.stamp(basePath)) }
            return h.finalize()
        }
    }

    /// What the last merge of one kind made, file by file (`serve`): the next merge
    /// decodes only the files whose key changed and patches the rest in place, instead
    /// of rebuilding thousands of entries after each save.
    private struct MergeMemo<T: Sendable>: Sendable {
        /// The site configuration it was made under (`DecodeCache.siteKey`): its languages
        /// decide which document each file is, so another one means a whole merge.
        var site: Int
        var paths: [String]
        var keys: [Int]
        var diagnostics: [[Diagnostic]]
        var out: [String: [String: T]]
    }

    /// Decodes one parsed file, returning its diagnostics.
    static func decodeOne<T>(_ file: ContentFile, _ node: YAMLNode, base: T?, languages: [String], timeZone: TimeZone?,
                             decode: (ContentFile, YAMLReader, T?) -> T?) -> (T?, [Diagnostic]) {
        let local = DiagnosticBag()
        var value: T? = nil
        if let r = file.reader(node, languages: languages, diagnostics: local) {
            r.timeZone = timeZone
            value = decode(file, r, base)
            r.finish()
        }
        return (value, local.all)
    }

    /// Whether a content file's name gives its language (`x.fr.md`, not `x.md`).
    static func namesLanguage(_ path: String) -> Bool {
        ContentFile.baseName(path).utf8.contains(UInt8(ascii: "."))
    }

    private static func merge<T: Sendable>(
        _ files: [ContentFile.Loaded<T>], kind: String, originals: Set<String>, site: SiteConfig, diagnostics: DiagnosticBag,
        cache: DecodeCache? = nil, decode: @escaping @Sendable (ContentFile, YAMLReader, T?) -> T?
    ) -> [String: [String: T]] {
        /// Decodes one file, through the cache when there is one; its diagnostics are returned.
        @Sendable func decoded(_ loaded: ContentFile.Loaded<T>, base: T?, key: Int?) -> (T?, [Diagnostic]) {
            if let early = loaded.decoded { return early }
            let file = loaded.file
            if let cache, let key, let hit = cache.cache.decoded(file.path, key: key) {
                return (hit.value as? T, hit.diagnostics)
            }
            // Only originals are decoded early: a translation always has its tree.
            guard let node = loaded.node else { return (nil, []) }
            let (value, found) = decodeOne(file, node, base: base, languages: site.languages, timeZone: site.timeZone, decode: decode)
            if let cache, let key { cache.cache.store(decoded: value as (any Sendable)?, diagnostics: found, path: file.path, key: key) }
            return (value, found)
        }
        // File names are unique in a folder, and ids have no dot: two files name the same
        // document only as `x.md` and `x.<default>.md`. Only then are they compared (not
        // tens of thousands of keys made and hashed on one core).
        var unique = files
        if files.contains(where: { $0.file.isDefaultLanguage && Self.namesLanguage($0.file.path) }) {
            var seen: [String: String] = [:]
            unique = []
            for loaded in files {
                let file = loaded.file
                let key = file.id + "." + file.lang
                if let first = seen[key] {
                    diagnostics.error("`\(file.id)` in `\(file.lang)` is defined twice, here and in \(first)", at: SourceLocation(path: file.path),
                                      hint: "`\(file.id).md` is already the default language (\(site.defaultLanguage)); keep one of the two files")
                    continue
                }
                seen[key] = file.path
                unique.append(loaded)
            }
        }
        // Default-language files first, then translations (decoded on top of them).
        let ordered = unique.filter { $0.file.isDefaultLanguage } + unique.filter { !$0.file.isDefaultLanguage }
        let defaultCount = ordered.prefix { $0.file.isDefaultLanguage }.count
        let keys: [Int?] = cache.map { cache in
            let defaultPaths = Dictionary(ordered[..<defaultCount].map { ($0.file.id, $0.file.path) }, uniquingKeysWith: { a, _ in a })
            return ordered.parallelMap { cache.key($0.file, basePath: $0.file.isDefaultLanguage ? nil : defaultPaths[$0.file.id]) }
        } ?? Array(repeating: nil, count: ordered.count)

        /// A translation: decoded on its original, or an error when there is none.
        @Sendable func translation(_ loaded: ContentFile.Loaded<T>, key: Int?, out: [String: [String: T]]) -> (T?, [Diagnostic]) {
            let file = loaded.file
            guard let base = out[file.id]?[site.defaultLanguage] else {
                // An original that exists but could not be read was reported already.
                if originals.contains(file.id) { return (nil, []) }
                return (nil, [Diagnostic(.error, "this translation has no \(kind) in the default language (`\(file.id).md`)",
                                         at: SourceLocation(path: file.path),
                                         hint: "write content/…/\(file.id).md first; translations add to it")])
            }
            return decoded(loaded, base: base, key: key)
        }

        var out: [String: [String: T]] = [:]
        var found: [[Diagnostic]]
        // The memo of the last merge (`serve`) and what keys it: nothing without a cache.
        let paths = cache == nil ? [] : ordered.map(\.file.path)
        let last = cache?.cache.lastMerge(kind) as? MergeMemo<T>
        let changed = last.flatMap { last in
            last.site == cache?.siteKey && last.paths == paths && !keys.contains(nil) ? ordered.indices.filter { keys[$0] != last.keys[$0] } : nil
        }
        if let last, let changed, changed.count <= 64 {
            // The same files and a few changed: patch them. A translation's key includes
            // its original's stamp, so it changes with it.
            out = last.out
            found = last.diagnostics
            for i in changed {
                let file = ordered[i].file
                let result = i < defaultCount ? decoded(ordered[i], base: nil, key: keys[i]) : translation(ordered[i], key: keys[i], out: out)
                found[i] = result.1
                if let value = result.0 {
                    out[file.id, default: [:]][file.lang] = value
                } else if out[file.id] != nil {
                    out[file.id]![file.lang] = nil
                    if out[file.id]!.isEmpty { out[file.id] = nil }
                }
            }
        } else {
            let defaults: [(T?, [Diagnostic])] = ordered[..<defaultCount].indices.parallelMap { i in
                decoded(ordered[i], base: nil, key: keys[i])
            }
            out.reserveCapacity(defaultCount)
            for (i, result) in defaults.enumerated() {
                if let value = result.0 { out[ordered[i].file.id, default: [:]][site.defaultLanguage] = value }
            }
            let frozen = out
            let translations: [(T?, [Diagnostic])] = ordered[defaultCount...].indices.parallelMap { i in
                translation(ordered[i], key: keys[i], out: frozen)
            }
            for (j, result) in translations.enumerated() {
                let file = ordered[defaultCount + j].file
                if let value = result.0 { out[file.id, default: [:]][file.lang] = value }
            }
            found = defaults.map(\.1) + translations.map(\.1)
        }
        for list in found where !list.isEmpty { diagnostics.add(contentsOf: list) }
        if let cache {
            cache.cache.store(merge: MergeMemo(site: cache.siteKey, paths: paths, keys: keys.map { $0 ?? 0 }, diagnostics: found, out: out), kind: kind)
        }
        return out
    }
}
