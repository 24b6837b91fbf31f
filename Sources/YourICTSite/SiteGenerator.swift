import CYourICTSystem
import Foundation
import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring

/// The build pipeline: load → validate → compute → render. Writing is separate
/// (`OutputWriter`) so that `check` and `serve` reuse everything up to the files.
public enum SiteGenerator {
    /// With `cache` (`serve`), what did not change since the previous generation of the
    /// same cache is reused; without it, everything is made from scratch. With `sink`,
    /// each file goes there as soon as it is made and is not kept (see `GeneratedSite`).
    public static func generate(tree: SourceTree, settings: BuildSettings, diagnostics: DiagnosticBag,
                                cache: GenerationCache? = nil, sink: OutputSink? = nil) -> GeneratedSite? {
        cache?.beginGeneration()
        let tree: SourceTree = cache == nil || tree is WatchedSourceTree ? tree : StampMemoTree(tree)
        let site = generateStages(tree: tree, settings: settings, diagnostics: diagnostics, cache: cache, sink: sink)
        cache?.endGeneration(succeeded: site != nil)
        return site
    }

    private static func generateStages(tree: SourceTree, settings: BuildSettings, diagnostics: DiagnosticBag,
                                       cache: GenerationCache?, sink: OutputSink?) -> GeneratedSite? {
        /// A file handed to the sink keeps only its path here.
        @Sendable func emit(_ file: OutputFile) -> OutputFile {
            guard let sink else { return file }
            sink.write(file)
            return OutputFile(path: file.path, bytes: [])
        }
        var timer = StageTimer()
        // A build loads the theme on a thread of its own while the content is read (the
        // theme needs only the site's languages); `serve` takes it from its cache.
        var themeWork: BackgroundWork<(Theme?, [Diagnostic])>?
        let loaded = ContentLoader.load(from: tree, includeDrafts: settings.includeDrafts, diagnostics: diagnostics, cache: cache?.content) { site in
            guard cache == nil else { return }
            themeWork = BackgroundWork { [languages = site.languages] in
                let local = DiagnosticBag()
                return (Theme.load(tree: tree, siteLanguages: languages, diagnostics: local), local.all)
            }
        }
        guard var content = loaded else {
            _ = themeWork?.wait()
            return nil
        }
        if let base = settings.baseURL {
            content.site.baseURL = base.hasSuffix("/") ? base : base + "/"
        } else if content.site.origin.isEmpty {
            diagnostics.warning("`base_url` is not set: the sitemap, feeds and canonical links need the site's absolute address",
                                at: SourceLocation(path: SiteConfigLoader.path), hint: "add base_url: https://status.example.org/ to site.yaml, or pass --base-url")
        }
        timer.lap("content")
        let loadedTheme: Theme?
        if let themeWork {
            let (theme, found) = themeWork.wait()
            diagnostics.add(contentsOf: found)
            loadedTheme = theme
        } else {
            loadedTheme = loadTheme(tree: tree, languages: content.site.languages, diagnostics: diagnostics, cache: cache)
        }
        guard let theme = loadedTheme else { return nil }
        let urls = URLBuilder(basePath: content.site.basePath, origin: content.site.origin)
        let calendar = ZonedCalendar(timeZone: content.site.timeZone)

        timer.lap("theme")
        let resolved = ReferenceSource.resolve(now: settings.now, site: content.site.referenceTime, clock: settings.clock)
        // Response times keep only the hours the figures at the reference time need.
        let horizon = resolved.map { LatencyHorizon(reference: $0.0, calendar: calendar) }
        let monitoringKey = cache.map { _ in Self.monitoringKey(tree: tree, content: content, horizon: horizon) }
        let loadMonitoring = {
            let local = DiagnosticBag()
            return (loader: MonitoringLoader.load(tree: tree, content: content, horizon: horizon, diagnostics: local), diagnostics: local.all)
        }
        let (monitoring, monitoringDiagnostics) = if let cache, let monitoringKey {
            cache.monitoring.value(key: monitoringKey, make: loadMonitoring)
        } else {
            loadMonitoring()
        }
        diagnostics.add(contentsOf: monitoringDiagnostics)
        var status: StatusReport? = nil
        if let (reference, source) = resolved {
            monitoring.warnAboutFutureSamples(after: reference, diagnostics: diagnostics)
            EventTimes.warnAboutFutureEvents(content: content, reference: reference, diagnostics: diagnostics)
            let computeStatus = { AvailabilityEngine(content: content, calendar: calendar, reference: reference).report(monitoring: monitoring) }
            status = if let cache, let monitoringKey {
                cache.status.value(key: Self.statusKey(monitoring: monitoringKey, content: content, tree: tree, reference: reference), make: computeStatus)
            } else {
                computeStatus()
            }
            status?.isFrozen = source == .site
        }

        timer.lap("monitoring")
        let plan = SitePlan(content: content, status: status, memory: cache?.plan)
        let statics = staticFiles(tree: tree, diagnostics: diagnostics)
        let staticPaths = statics.map(\.path)
        let labels = Dictionary(uniqueKeysWithValues: content.site.languages.map { lang in
            (lang, MarkdownStage.Labels(footnoteBack: theme.i18n.string("footnote_back", lang), table: theme.i18n.string("table_label", lang)))
        })
        let markdown = MarkdownStage(content: content, urls: urls, labels: labels,
                                     sitePaths: Lazy { [plan, theme] in plan.sitePaths(theme: theme, staticFiles: staticPaths) }, themeIDs: theme.reservedIDs,
                                     tree: tree)
            .run(diagnostics: diagnostics, cache: cache?.markdown)
        timer.lap("markdown")
        if diagnostics.hasErrors { return nil }
        // A build reads no Markdown text from here on (`serve` hashes it for the next generation).
        if cache == nil { content.releaseMarkdownSources() }

        let signatures = cache.map { _ in
            OutputSignatures(content: content, theme: theme, status: status, markdown: markdown, settings: settings, tree: tree, staticFiles: statics,
                             facets: plan.facets)
        }
        let pages = plan.pages
        // A build makes the badges beside the pages (see `MachineOutputs.badges`).
        let badges = sink != nil && cache == nil
            ? BackgroundWork { [content, status] in MachineOutputs.badges(content: content, status: status, emit: emit) } : nil
        // The views (and the list entries they keep for the catalogue pages) live only
        // while pages are rendered: a build makes its machine outputs without them.
        let rendered: [OutputFile?] = {
            let views = ViewBuilder(content: content, theme: theme, urls: urls, markdown: markdown, status: status, devHead: settings.devHead,
                                    facets: plan.facets, signatures: signatures, memo: cache?.views)
            return pages.parallelMap(spread: cache != nil) { job in
                let signature = signatures?.signature(for: job)
                if let cache, let signature, let bytes = cache.output(job.path, signature: signature) { return emit(OutputFile(path: job.path, bytes: bytes)) }
                guard let context = views.context(for: job), let html = theme.renderBytes(context, template: job.template, memo: views.fragments) else { return nil }
                let file = OutputFile(path: job.path, bytes: html)
                if let cache, let signature { cache.store(output: file.bytes, path: job.path, signature: signature) }
                // A service's body is shown on its page only; a build drops it once shown.
                if cache == nil, case .service(let id) = job.kind { markdown.rendered(DocumentKey(.service, id), job.lang)?.releaseHTML() }
                return emit(file)
            }
        }()
        // What the pages stage freed goes back to the system before the machine outputs
        // are made: the allocator would otherwise keep it, and the peak would add both.
        if sink != nil { yourict_trim_heap() }
        timer.lap("pages")
        var files = rendered.compactMap { $0 }
        if files.count != pages.count {
            _ = badges?.wait()
            for (job, file) in zip(pages, rendered) where file == nil {
                diagnostics.error("could not render \(job.path) with template `\(job.template)`", at: SourceLocation(path: "templates/\(job.template).mustache"))
            }
            return nil
        }
        files += theme.assets.map { emit(OutputFile(path: $0.outputPath, bytes: $0.bytes)) }
        files += statics.map(emit)
        // The sitemap lists every page: it changes only when the set of pages does.
        let sitemapSignature = signatures?.signature("sitemap", plan.pages.count, signatures?.summariesAll ?? 0, signatures?.statusAll ?? 0)
        if let cache, let sitemapSignature, let cached = cache.group("sitemap", signature: sitemapSignature) {
            files += cached.map(emit)
        } else {
            let maps = SiteMaps.files(content: content, urls: urls, plan: plan)
            if let cache, let sitemapSignature { cache.store(group: maps, name: "sitemap", signature: sitemapSignature) }
            files += maps.map(emit)
        }
        let subscriptions = Subscriptions(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        // A build makes every service's feed and calendar on a thread of its own (see
        // `Subscriptions.allServiceFiles`).
        let serviceSubscriptions = sink != nil && cache == nil ? BackgroundWork { subscriptions.allServiceFiles(emit: emit) } : nil
        files += MachineOutputs.files(content: content, status: status, urls: urls, theme: theme, calendar: calendar, subscriptions: subscriptions, markdown: markdown,
                                      signatures: signatures, cache: cache, includeBadges: badges == nil,
                                      includeServiceSubscriptions: serviceSubscriptions == nil, emit: emit)
        files += badges?.wait() ?? []
        files += serviceSubscriptions?.wait() ?? []
        timer.lap("machine outputs")
        // Sorted by path (UTF-8 bytes, as the file system names them); the order is kept
        // from the last generation when the paths are the same.
        let paths = files.map(\.path)
        let order = if let cache { cache.plan.outputOrder.value(for: paths, Self.bytewiseOrder) } else { Self.bytewiseOrder(paths) }
        files = order.map { files[$0] }
        if let duplicate = zip(files, files.dropFirst()).first(where: { $0.0.path == $0.1.path }) {
            diagnostics.error("two outputs would be written to \(duplicate.0.path)", at: SourceLocation(path: "static/" + duplicate.0.path),
                              hint: "a file in static/ has the same path as a generated page; rename it")
            return nil
        }
        var site = GeneratedSite(files: files, pageCount: pages.count, serviceCount: content.services.count,
                             incidentCount: content.incidents.count, referenceTime: status?.referenceTime, streamed: sink != nil,
                             usedClock: resolved?.1 == .clock)
        if settings.exitsAfterBuild { site.keptUntilExit = [content, markdown, plan, status, theme, statics] }
        return site
    }

    /// The indices of `paths` in the order of their UTF-8 bytes.
    private static func bytewiseOrder(_ paths: [String]) -> [Int] {
        let keys = paths.map { Array($0.utf8) }
        return paths.indices.sorted { keys[$0].precedesBytewise(keys[$1]) }
    }

    /// The theme, reused by `serve` while no file of `templates/` changed.
    private static func loadTheme(tree: SourceTree, languages: [String], diagnostics: DiagnosticBag, cache: GenerationCache?) -> Theme? {
        guard let cache else { return Theme.load(tree: tree, siteLanguages: languages, diagnostics: diagnostics) }
        var h = Hasher()
        h.combine(languages)
        for path in tree.allFiles(under: Theme.folder) { h.combine(path); h.combine(tree.stamp(path)) }
        let (theme, found) = cache.theme.value(key: h.finalize()) {
            let local = DiagnosticBag()
            return (Theme.load(tree: tree, siteLanguages: languages, diagnostics: local), local.all)
        }
        diagnostics.add(contentsOf: found)
        return theme
    }

    /// What the monitoring data depends on: its files, the components' matchers, and the
    /// hours of response times kept (which change about once a day).
    private static func monitoringKey(tree: SourceTree, content: ContentSet, horizon: LatencyHorizon?) -> Int {
        var h = Hasher()
        h.combine(horizon)
        for path in tree.files(in: MonitoringLoader.folder) { h.combine(path); h.combine(tree.stamp(path)) }
        let d = content.site.defaultLanguage
        // Per service on all cores (matchers are dictionaries: slow to hash), then in order.
        let perService: [Int] = content.serviceIDs.parallelMap { id in
            var s = Hasher()
            s.combine(id)
            s.combine(content.services[id]?[d]?.derived(.monitoring) { sheet in
                var h = Hasher()
                for c in sheet.components { h.combine(c.id); h.combine(c.monitor); h.combine(c.latency) }
                return h.finalize()
            })
            return s.finalize()
        }
        h.combine(perService)
        return h.finalize()
    }

    /// What the availability report depends on beyond monitoring: incidents, levels,
    /// rules, the reference time and the time zone.
    private static func statusKey(monitoring: Int, content: ContentSet, tree: SourceTree, reference: Timestamp) -> Int {
        var h = Hasher()
        h.combine(monitoring)
        h.combine(reference.millis)
        h.combine(tree.stamp(SiteConfigLoader.path))
        for (id, byLang) in content.incidents.sorted(by: { $0.key < $1.key }) {
            h.combine(id)
            for file in byLang.values.map(\.path).sorted() { h.combine(file); h.combine(tree.stamp(file)) }
        }
        let d = content.site.defaultLanguage
        for id in content.serviceIDs {
            guard let s = content.services[id]?[d] else { continue }
            h.combine(id); h.combine(s.serviceLevel); h.combine(s.downWhen.rawValue); h.combine(s.components.map(\.id))
            // What the engine reads besides: the dependencies (a service is affected
            // through those in trouble) and the lifecycle (a retired service's figures end).
            h.combine(s.dependsOn.map(\.text))
            h.combine(s.lifecycle.stage.rawValue); h.combine(s.lifecycle.since); h.combine(s.lifecycle.until)
        }
        return h.finalize()
    }

    /// Files of `static/` are copied as they are (logos, documents, favicon).
    private static func staticFiles(tree: SourceTree, diagnostics: DiagnosticBag) -> [OutputFile] {
        tree.allFiles(under: "static").compactMap { path in
            do {
                return OutputFile(path: String(path.dropFirst("static/".count)), bytes: try tree.read(path))
            } catch {
                diagnostics.error("\(error)", at: SourceLocation(path: path))
                return nil
            }
        }
    }
}

extension ViewBuilder {
    func context(for job: SitePlan.PageJob) -> ViewContext? {
        switch job.kind {
        case .dashboard: return dashboard(lang: job.lang)
        case .catalogue: return catalogue(lang: job.lang)
        case .catalogueFilter(let facet, let value): return catalogue(lang: job.lang, filter: (facet, value))
        case .service(let id): return service(id, lang: job.lang)
        case .sla(let id, let month): return slaReport(id, month: month, lang: job.lang)
        case .incidents: return incidents(lang: job.lang)
        case .incident(let id): return incident(id, lang: job.lang)
        case .page(let slug): return page(slug, lang: job.lang)
        case .notFound(let root): return notFound(lang: job.lang, root: root)
        case .slaIndex: return slaIndex(lang: job.lang)
        case .slaOverview(let month): return slaOverview(month, lang: job.lang)
        case .languages: return languageChooser()
        }
    }
}
