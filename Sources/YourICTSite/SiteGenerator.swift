import CYourICTSystem
import Foundation
import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring

/// The build pipeline: content → theme → monitoring → Markdown → pages → machine
/// outputs, each stage a function of what the earlier ones made. Writing is separate
/// (`OutputWriter`) so that `check` and `serve` reuse everything up to the files.
///
/// `serve`'s reuse (`Reuse`) wraps the stages: a whole stage when the digest of what it
/// reads is the same as last time (theme, monitoring, availability), or each of its items
/// (a content file, a Markdown document, a page, a group of machine outputs). A build
/// reuses nothing: it makes everything from scratch and frees what it no longer reads.
public enum SiteGenerator {
    /// With `cache` (`serve`), what did not change since the previous generation of the
    /// same cache is reused; without it, everything is made from scratch. With `sink`,
    /// each file goes there as soon as it is made and is not kept (see `GeneratedSite`).
    public static func generate(tree: SourceTree, settings: BuildSettings, diagnostics: DiagnosticBag,
                                cache: GenerationCache? = nil, sink: OutputSink? = nil) -> GeneratedSite? {
        cache?.beginGeneration()
        let tree: SourceTree = if let watched = tree as? WatchedSourceTree {
            watched.snapshot()
        } else {
            cache == nil ? tree : StampMemoTree(tree)
        }
        let site = run(tree: tree, settings: settings, diagnostics: diagnostics, reuse: Reuse(cache: cache), sink: sink)
        cache?.endGeneration(succeeded: site != nil)
        return site
    }

    /// The stages in order. Each returns nil after reporting why the site cannot be made.
    private static func run(tree: SourceTree, settings: BuildSettings, diagnostics: DiagnosticBag,
                            reuse: Reuse, sink: OutputSink?) -> GeneratedSite? {
        var reuse = reuse
        let emit = Emitter(sink: sink)
        var timer = StageTimer()
        guard let (loaded, loadingTheme) = contentStage(tree: tree, settings: settings, diagnostics: diagnostics, reuse: reuse) else { return nil }
        let content = Self.contentAsOf(loaded, settings: settings)
        timer.lap("content")
        let urls = URLBuilder(basePath: content.site.basePath, origin: content.site.origin)
        let calendar = ZonedCalendar(timeZone: content.site.timeZone)
        guard let theme = themeStage(loadingTheme, tree: tree, languages: content.site.languages, diagnostics: diagnostics, reuse: reuse) else { return nil }
        timer.lap("theme")
        let (status, referenceSource) = monitoringStage(tree: tree, content: content, calendar: calendar, settings: settings, diagnostics: diagnostics, reuse: reuse)
        timer.lap("monitoring")
        let plan = SitePlan(content: content, status: status, memory: reuse.cache?.plan)
        let statics = staticFiles(tree: tree, diagnostics: diagnostics)
        guard let markdown = markdownStage(content: content, urls: urls, plan: plan, theme: theme, statics: statics, tree: tree,
                                           diagnostics: diagnostics, reuse: reuse) else { return nil }
        timer.lap("markdown")
        // A build reads no Markdown text from here on (`serve` hashes it for the next generation).
        if !reuse.isOn { content.releaseMarkdownSources() }
        reuse.signatures = reuse.isOn
            ? OutputSignatures(content: content, theme: theme, status: status, markdown: markdown, settings: settings, tree: tree,
                               staticFiles: statics, facets: plan.facets)
            : nil
        // A build makes the badges beside the pages (see `MachineOutputs.badges`).
        let badges = sink != nil && !reuse.isOn
            ? BackgroundWork { [content, status] in MachineOutputs.badges(content: content, status: status, emit: emit.callAsFunction) } : nil
        let pages = pagesStage(content: content, urls: urls, plan: plan, theme: theme, markdown: markdown, status: status, settings: settings,
                               reuse: reuse, emit: emit, diagnostics: diagnostics)
        // What the pages stage freed goes back to the system before the machine outputs
        // are made: the allocator would otherwise keep it, and the peak would add both.
        if sink != nil { yourict_trim_heap() }
        timer.lap("pages")
        guard let pages else {
            _ = badges?.wait()
            return nil
        }
        let machine = machineOutputsStage(content: content, urls: urls, calendar: calendar, status: status, plan: plan, theme: theme, markdown: markdown,
                                          statics: statics, reuse: reuse, emit: emit, badges: badges)
        timer.lap("machine outputs")
        guard let files = ordered(pages + machine, statics: statics, reuse: reuse, diagnostics: diagnostics) else { return nil }
        var site = GeneratedSite(files: files, pageCount: plan.pages.count, serviceCount: content.services.count,
                                 incidentCount: content.incidents.count, referenceTime: status?.referenceTime, streamed: sink != nil,
                                 usedClock: referenceSource == .clock)
        if settings.exitsAfterBuild { site.keptUntilExit = [content, markdown, plan, status, theme, statics] }
        return site
    }

    /// Hands each file to the sink as soon as it is made; the file then keeps only its path.
    struct Emitter: Sendable {
        let sink: OutputSink?

        @Sendable func callAsFunction(_ file: OutputFile) -> OutputFile {
            guard let sink else { return file }
            sink.write(file)
            return OutputFile(path: file.path, bytes: [])
        }
    }

    /// `site.yaml`, the sheets, pages and incidents, loaded and validated; the base URL
    /// from the settings. A build loads the theme on a thread of its own meanwhile (the
    /// theme needs only the site's languages); `serve` takes it from its memo later.
    private static func contentStage(tree: SourceTree, settings: BuildSettings, diagnostics: DiagnosticBag,
                                     reuse: Reuse) -> (ContentSet, BackgroundWork<(Theme?, [Diagnostic])>?)? {
        var themeWork: BackgroundWork<(Theme?, [Diagnostic])>?
        let loaded = ContentLoader.load(from: tree, includeDrafts: settings.includeDrafts, diagnostics: diagnostics, cache: reuse.cache?.content) { site in
            guard !reuse.isOn else { return }
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
        } else if content.site.origin.isEmpty,
                  // A `base_url` that was refused has its error; "not set" would contradict it.
                  !diagnostics.all.contains(where: { $0.severity == .error && $0.message.hasPrefix("`base_url`") }) {
            diagnostics.warning("`base_url` is not set: the sitemap, feeds and canonical links need the site's absolute address",
                                at: SourceLocation(path: SiteConfigLoader.path), hint: "add base_url: https://status.example.org/ to site.yaml, or pass --base-url")
        }
        return (content, themeWork)
    }

    /// The content as it stands at the reference time: a retirement dated after it is
    /// not yet one (`ContentSet.retirements(asOf:)`).
    private static func contentAsOf(_ loaded: ContentSet, settings: BuildSettings) -> ContentSet {
        guard let (reference, _) = ReferenceSource.resolve(now: settings.now, site: loaded.site.referenceTime, clock: settings.clock) else { return loaded }
        var content = loaded
        content.retirements(asOf: ZonedCalendar(timeZone: content.site.timeZone).localDate(of: reference))
        return content
    }

    /// The theme: the one a build loaded beside the content, or `templates/` read again
    /// unless none of its files changed (`serve`).
    private static func themeStage(_ loading: BackgroundWork<(Theme?, [Diagnostic])>?, tree: SourceTree, languages: [String],
                                   diagnostics: DiagnosticBag, reuse: Reuse) -> Theme? {
        let (theme, found) = loading?.wait() ?? reuse.stage(\.theme, key: reuse.digest { themeKey(tree: tree, languages: languages) }) {
            let local = DiagnosticBag()
            return (Theme.load(tree: tree, siteLanguages: languages, diagnostics: local), local.all)
        }
        diagnostics.add(contentsOf: found)
        return theme
    }

    /// The monitoring data read and the availability report at the reference time (none
    /// without a reference time); where that time came from.
    private static func monitoringStage(tree: SourceTree, content: ContentSet, calendar: ZonedCalendar, settings: BuildSettings,
                                        diagnostics: DiagnosticBag, reuse: Reuse) -> (StatusReport?, ReferenceSource?) {
        let resolved = ReferenceSource.resolve(now: settings.now, site: content.site.referenceTime, clock: settings.clock)
        // Response times keep only the hours the figures at the reference time need.
        let horizon = resolved.map { LatencyHorizon(reference: $0.0, calendar: calendar) }
        let monitoringKey = reuse.digest { Self.monitoringKey(tree: tree, content: content, horizon: horizon) }
        let (read, found) = reuse.stage(\.monitoring, key: monitoringKey) {
            let local = DiagnosticBag()
            return (loader: MonitoringLoader.load(tree: tree, content: content, horizon: horizon, diagnostics: local), diagnostics: local.all)
        }
        diagnostics.add(contentsOf: found)
        guard let (reference, source) = resolved else { return (nil, nil) }
        read.warnAboutFutureSamples(after: reference, diagnostics: diagnostics)
        // Samples after the reference time (a rebuild of a past state with `--now`, or a
        // clock behind the exporter's) would still set a series' usual interval and how
        // late its data is: the files are read again as if they ended at the reference
        // time, so the figures are those a build at that time made. Its diagnostics are
        // the first reading's.
        var monitoring = read
        if let newest = read.newestSample, newest > reference {
            let key = monitoringKey.map { var h = Hasher(); h.combine($0); h.combine(reference.millis); return h.finalize() }
            monitoring = reuse.stage(\.monitoringUntilReference, key: key) {
                MonitoringLoader.load(tree: tree, content: content, horizon: horizon, until: reference, diagnostics: DiagnosticBag())
            }
        }
        EventTimes.warnAboutFutureEvents(content: content, reference: reference, diagnostics: diagnostics)
        let statusKey = monitoringKey.map { Self.statusKey(monitoring: $0, content: content, tree: tree, reference: reference) }
        var status = reuse.stage(\.status, key: statusKey) {
            AvailabilityEngine(content: content, calendar: calendar, reference: reference).report(monitoring: monitoring)
        }
        status.isFrozen = source == .site
        return (status, source)
    }

    /// Every Markdown document rendered, its links and anchors checked against the
    /// site's paths; nil when the site has errors (of this stage or an earlier one).
    private static func markdownStage(content: ContentSet, urls: URLBuilder, plan: SitePlan, theme: Theme, statics: [OutputFile], tree: SourceTree,
                                      diagnostics: DiagnosticBag, reuse: Reuse) -> MarkdownStage.Output? {
        let staticPaths = statics.map(\.path)
        let labels = Dictionary(uniqueKeysWithValues: content.site.languages.map { lang in
            (lang, MarkdownStage.Labels(footnoteBack: theme.i18n.string("footnote_back", lang), table: theme.i18n.string("table_label", lang)))
        })
        let markdown = MarkdownStage(content: content, urls: urls, labels: labels,
                                     sitePaths: Lazy { [plan, theme] in plan.sitePaths(theme: theme, staticFiles: staticPaths) }, themeIDs: theme.reservedIDs,
                                     tree: tree)
            .run(diagnostics: diagnostics, cache: reuse.cache?.markdown)
        return diagnostics.hasErrors ? nil : markdown
    }

    /// Every page of the plan rendered, on all cores; nil when one cannot be (reported).
    private static func pagesStage(content: ContentSet, urls: URLBuilder, plan: SitePlan, theme: Theme, markdown: MarkdownStage.Output,
                                   status: StatusReport?, settings: BuildSettings, reuse: Reuse, emit: Emitter,
                                   diagnostics: DiagnosticBag) -> [OutputFile]? {
        // The views (and the list entries they keep for the catalogue pages) live only
        // while pages are rendered: a build makes its machine outputs without them.
        let views = ViewBuilder(content: content, theme: theme, urls: urls, markdown: markdown, status: status, devHead: settings.devHead,
                                facets: plan.facets, signatures: reuse.signatures, memo: reuse.cache?.views)
        let rendered: [Result<OutputFile, CompiledTemplates.RenderFailure>] = plan.pages.parallelMap(spread: reuse.isOn) { job in
            var failure = CompiledTemplates.RenderFailure.tooDeep
            let bytes = reuse.page(job) { () -> [UInt8]? in
                guard let context = views.context(for: job) else { return nil }
                switch theme.renderResult(context, template: job.template, memo: views.fragments) {
                case .success(let bytes)?: return bytes
                case .failure(let why)?: failure = why; return nil
                case nil: return nil
                }
            }
            guard let bytes else { return .failure(failure) }
            // A service's body is shown on its page only; a build drops it once shown.
            if !reuse.isOn, case .service(let id) = job.kind { markdown.rendered(DocumentKey(.service, id), job.lang)?.releaseHTML() }
            return .success(emit(OutputFile(path: job.path, bytes: bytes)))
        }
        // A page fails only when its templates nest past the engine's limit (a partial that
        // includes itself through a dynamic name: the theme's check sees only fixed names),
        // or when it grows past a page's size (a section repeated inside itself). One error
        // per template and cause, not one per page.
        var failures: [(template: String, why: CompiledTemplates.RenderFailure, paths: [String])] = []
        for (job, result) in zip(plan.pages, rendered) {
            guard case .failure(let why) = result else { continue }
            if let i = failures.firstIndex(where: { $0.template == job.template && $0.why == why }) { failures[i].paths.append(job.path) } else { failures.append((job.template, why, [job.path])) }
        }
        for (template, why, paths) in failures {
            let pages = paths.count == 1 ? paths[0] : "\(paths.count) pages (\(paths[0]), …)"
            switch why {
            case .tooDeep:
                diagnostics.error("could not render \(pages) with template `\(template)`: its sections and partials nest more than \(CompiledTemplates.maximumDepth) deep",
                                  at: SourceLocation(path: "templates/\(template).mustache"),
                                  hint: "a partial includes itself through a dynamic name (`{{>*name}}`): make sure the name never leads back to a template that includes it")
            case .tooLarge:
                diagnostics.error("could not render \(pages) with template `\(template)`: the page would be larger than \(CompiledTemplates.maximumOutput >> 20) MB or take more than \(CompiledTemplates.maximumSteps / 1_000_000) million steps",
                                  at: SourceLocation(path: "templates/\(template).mustache"),
                                  hint: "is a list shown inside itself (`{{#services}}` within `{{#services}}`)? show each list once")
            }
        }
        var files: [OutputFile] = []
        files.reserveCapacity(rendered.count)
        for case .success(let file) in rendered { files.append(file) }
        return files.count == plan.pages.count ? files : nil
    }

    /// The theme's assets, `static/`, the sitemap, feeds, calendars, APIs, search indexes
    /// and badges (`badges`: made by a build beside the pages).
    private static func machineOutputsStage(content: ContentSet, urls: URLBuilder, calendar: ZonedCalendar, status: StatusReport?, plan: SitePlan,
                                            theme: Theme, markdown: MarkdownStage.Output, statics: [OutputFile], reuse: Reuse, emit: Emitter,
                                            badges: BackgroundWork<[OutputFile]>?) -> [OutputFile] {
        let signatures = reuse.signatures
        var files = theme.assets.map { emit(OutputFile(path: $0.outputPath, bytes: $0.bytes)) }
        files += statics.map(emit.callAsFunction)
        // The sitemap lists every page: it changes only when the set of pages does.
        files += reuse.group("sitemap", signature: signatures?.signature("sitemap", plan.pages.count, signatures?.summariesAll ?? 0, signatures?.statusAll ?? 0)) {
            SiteMaps.files(content: content, urls: urls, plan: plan)
        }.map(emit.callAsFunction)
        let subscriptions = Subscriptions(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        // A build makes every service's feed and calendar on a thread of its own (see
        // `Subscriptions.allServiceFiles`).
        let serviceSubscriptions = emit.sink != nil && !reuse.isOn ? BackgroundWork { subscriptions.allServiceFiles(emit: emit.callAsFunction) } : nil
        files += MachineOutputs.files(content: content, status: status, urls: urls, theme: theme, calendar: calendar, subscriptions: subscriptions, markdown: markdown,
                                      reuse: reuse, includeBadges: badges == nil,
                                      includeServiceSubscriptions: serviceSubscriptions == nil, emit: emit.callAsFunction)
        files += badges?.wait() ?? []
        files += serviceSubscriptions?.wait() ?? []
        return files
    }

    /// The files sorted by path (UTF-8 bytes, as the file system names them; `serve` keeps
    /// the last generation's order while the paths are the same); nil when two have one path,
    /// or a file of static/ stands where the site writes a folder or under one of its files.
    private static func ordered(_ files: [OutputFile], statics: [OutputFile], reuse: Reuse, diagnostics: DiagnosticBag) -> [OutputFile]? {
        let paths = files.map(\.path)
        let order = if let cache = reuse.cache { cache.plan.outputOrder.value(for: paths, Self.bytewiseOrder) } else { Self.bytewiseOrder(paths) }
        let files = order.map { files[$0] }
        if let duplicate = zip(files, files.dropFirst()).first(where: { $0.0.path == $0.1.path }) {
            diagnostics.error("two outputs would be written to \(duplicate.0.path)", at: SourceLocation(path: "static/" + duplicate.0.path),
                              hint: "a file in static/ has the same path as a generated page; rename it")
            return nil
        }
        // A file of static/ where the site needs a folder (`static/assets` beside the
        // generated assets/), or under one of its files: which write came first decided
        // what was published, differently from one build to the next.
        var failed = false
        if !statics.isEmpty {
            let all = Set(paths)
            for file in statics {
                // The first path at or after `folder` in byte order: one inside it, if any.
                let folder = file.path + "/"
                var low = 0, high = files.count
                while low < high { let mid = (low + high) / 2; if files[mid].path.utf8.lexicographicallyPrecedes(folder.utf8) { low = mid + 1 } else { high = mid } }
                let parents = file.path.indices.filter { file.path[$0] == "/" }.map { String(file.path[..<$0]) }
                if low < files.count, files[low].path.hasPrefix(folder) {
                    diagnostics.error("static/\(file.path) is a file where the site writes its folder \(file.path)/ (\(files[low].path))", at: SourceLocation(path: "static/" + file.path),
                                      hint: "rename it, or put it in a folder of its own under static/")
                    failed = true
                } else if let parent = parents.first(where: { all.contains($0) }) {
                    diagnostics.error("static/\(file.path) lies under \(parent), a file the site writes", at: SourceLocation(path: "static/" + file.path),
                                      hint: "move it to another folder of static/")
                    failed = true
                }
            }
        }
        return failed ? nil : files
    }

    /// The indices of `paths` in the order of their UTF-8 bytes.
    private static func bytewiseOrder(_ paths: [String]) -> [Int] {
        let keys = paths.map { Array($0.utf8) }
        return paths.indices.sorted { keys[$0].precedesBytewise(keys[$1]) }
    }

    /// What the theme is made from: `templates/` and the site's languages.
    private static func themeKey(tree: SourceTree, languages: [String]) -> Int {
        var h = Hasher()
        h.combine(languages)
        for path in tree.allFiles(under: Theme.folder) { h.combine(path); h.combine(tree.stamp(path)) }
        return h.finalize()
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

    /// The folder of `serve`'s own files (live reload, errors): `/__yourict/`.
    package static let previewFolder = "__yourict"

    /// Files of `static/` are copied as they are (logos, documents, favicon).
    private static func staticFiles(tree: SourceTree, diagnostics: DiagnosticBag) -> [OutputFile] {
        tree.allFiles(under: "static").compactMap { path in
            // `serve` answers /__yourict/ itself: the preview would hide such a file.
            if path.hasPrefix("static/\(previewFolder)/") {
                diagnostics.warning("static/\(previewFolder)/ is where `yourict serve` answers its own files: the preview does not show this one",
                                    at: SourceLocation(path: path), hint: "move it to another folder of static/")
            }
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
