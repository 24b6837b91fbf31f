import Foundation
import YourICTSupport
import YourICTFormats
import YourICTContent

/// Renders every document body for every output language, then checks the links
/// between them (targets and anchors) once all headings are known.
package struct MarkdownStage {
    package struct Output: Sendable {
        /// Rendered body per document and output language.
        var documents: [DocumentKey: [String: RenderedMarkdown]]
        /// A hash of each rendered body (HTML and headings), for output signatures.
        package var digests: [DocumentKey: [String: Digest]] = [:]

        package func rendered(_ key: DocumentKey, _ lang: String) -> RenderedMarkdown? { documents[key]?[lang] }
    }

    /// Hashes of a rendered body: all of it, and its words alone (what the search index
    /// holds), so that editing a paragraph without new words does not rebuild the index.
    package struct Digest: Sendable, Hashable {
        package var body: Int
        package var words: Int
    }

    /// Words the rendered HTML holds, per language: the theme's strings.
    package struct Labels: Sendable, Hashable {
        /// The footnotes' link back to where they are cited.
        var footnoteBack: String
        /// The name of a table's scrollable region.
        var table: String

        package init(footnoteBack: String, table: String) {
            self.footnoteBack = footnoteBack
            self.table = table
        }
    }

    let content: ContentSet
    let urls: URLBuilder
    /// Per output language.
    let labels: [String: Labels]
    /// Root-relative paths the site will write, for checking `/…` links.
    let sitePaths: Lazy<Set<String>>
    /// Fixed ids of the theme's templates.
    let themeIDs: Set<String>
    /// The source tree, for file stamps when a generation cache is used.
    var tree: SourceTree? = nil

    package init(content: ContentSet, urls: URLBuilder, labels: [String: Labels], sitePaths: Lazy<Set<String>>, themeIDs: Set<String>,
                 tree: SourceTree? = nil) {
        self.content = content
        self.urls = urls
        self.labels = labels
        self.sitePaths = sitePaths
        self.themeIDs = themeIDs
        self.tree = tree
    }

    /// Ids the layout uses, which headings must not take.
    package static let layoutIDs: Set<String> = ["main", "top", "content", "nav", "menu", "search", "footer", "header", "languages", "skip"]

    private struct Job: Sendable {
        package var key: DocumentKey
        package var lang: String
        var source: MarkdownSource
        var sourceLang: String
    }

    /// What identifies a job but its text (which the file's stamp stands for).
    private struct JobIdentity: Equatable {
        package var key: DocumentKey
        package var lang: String
        package var path: String
        var firstLine: Int
        var sourceLang: String
    }

    private struct Result: Sendable {
        package var rendered: RenderedMarkdown
        var checks: [LinkResolver.PendingCheck]
        var digest: Digest
    }

    /// The last run (`serve`), before links were checked: the next run with the same
    /// documents renders or looks up only those whose file changed, and checks all links
    /// again (a heading removed here can break a link there).
    private struct Memo {
        var options: Int
        var identity: [JobIdentity]
        var stamps: [FileStamp?]
        var results: [Result]
        var documents: [DocumentKey: [String: RenderedMarkdown]]
        package var digests: [DocumentKey: [String: Digest]]
    }

    package func run(diagnostics: DiagnosticBag, cache: MarkdownReuse? = nil) -> Output {
        let resolver = LinkResolver(content: content, urls: urls)
        var jobList: [Job] = []
        for lang in content.site.languages {
            for id in content.serviceIDs {
                if let s = content.service(id, in: lang) { jobList.append(Job(key: .init(.service, id), lang: lang, source: s.body, sourceLang: s.lang)) }
            }
            for id in content.pages.keys.sorted() {
                if let p = content.page(id, in: lang) { jobList.append(Job(key: .init(.page, id), lang: lang, source: p.body, sourceLang: p.lang)) }
            }
            for id in content.incidents.keys.sorted() {
                if let i = content.incident(id, in: lang) { jobList.append(Job(key: .init(.incident, id), lang: lang, source: i.body, sourceLang: i.lang)) }
            }
        }
        let jobs = jobList
        let unsafeHTML = content.site.unsafeHTML
        let reservedIDs = Self.layoutIDs.union(themeIDs)
        let render: @Sendable (Job, [String: String]) -> (RenderedMarkdown, [LinkResolver.PendingCheck]) = { job, overrides in
            // The labels are part of the body, which a page marks with the body's language
            // (`lang="fr"` on a Dutch page that falls back): they are in that language too.
            let options = MarkdownOptions(unsafeHTML: unsafeHTML, reservedIDs: reservedIDs,
                                          footnoteBackLabel: labels[job.sourceLang]?.footnoteBack ?? labels[job.lang]?.footnoteBack ?? "",
                                          tableLabel: labels[job.sourceLang]?.table ?? labels[job.lang]?.table ?? "")
            var checks: [LinkResolver.PendingCheck] = []
            let rendered = MarkdownRenderer.render(job.source, options: options) { url, location in
                if let forced = overrides[url] { return forced }
                let (rewritten, check) = resolver.resolve(url, sourcePath: job.source.path, sourceLang: job.sourceLang, lang: job.lang, location: location)
                if let check { checks.append(check) }
                return rewritten
            }
            return (rendered, checks)
        }
        // What else shapes a body's HTML: options, ids to avoid, labels, the base path.
        var optionsHasher = Hasher()
        optionsHasher.combine(unsafeHTML)
        optionsHasher.combine(reservedIDs)
        optionsHasher.combine(urls.basePath)
        for lang in content.site.languages { optionsHasher.combine(labels[lang]) }
        let options = optionsHasher.finalize()
        let tree = self.tree
        let stamps: [FileStamp?] = cache == nil ? [] : jobs.parallelMap { tree?.stamp($0.source.path) }
        @Sendable func result(_ i: Int) -> Result {
            let job = jobs[i]
            guard let cache, let stamp = stamps[i] else {
                let value = render(job, [:])
                // Digests are for `serve`'s output signatures: a build has none to make.
                return Result(rendered: value.0, checks: value.1, digest: cache == nil ? Digest(body: 0, words: 0) : Self.digest(value.0))
            }
            let key = MarkdownReuse.Key(path: job.source.path, stamp: stamp, firstLine: job.source.firstLine,
                                                  lang: job.lang, sourceLang: job.sourceLang, options: options)
            if let hit = cache.rendered(key) { return Result(rendered: hit.rendered, checks: hit.checks, digest: hit.digest) }
            let value = render(job, [:])
            let digest = Self.digest(value.0)
            cache.store(.init(rendered: value.0, checks: value.1, digest: digest), for: key)
            return Result(rendered: value.0, checks: value.1, digest: digest)
        }

        var results: [Result]
        var documents: [DocumentKey: [String: RenderedMarkdown]] = [:]
        var documentDigests: [DocumentKey: [String: Digest]] = [:]
        // What the next generation compares with (`serve`): a build keeps no memo.
        let identity = cache == nil ? [] : jobs.map { JobIdentity(key: $0.key, lang: $0.lang, path: $0.source.path, firstLine: $0.source.firstLine, sourceLang: $0.sourceLang) }
        var last = cache?.takeLastRun() as? Memo
        let changed: [Int]? = last.flatMap { last in
            guard last.options == options, last.identity == identity, !stamps.contains(nil) else { return nil }
            return jobs.indices.filter { stamps[$0] != last.stamps[$0] }
        }
        if var memo = last, let changed, changed.count <= 64 {
            // The same documents, a few of them edited (`serve`): patch the last run, in
            // place (its tables are moved here, not shared).
            last = nil
            results = []
            swap(&results, &memo.results)
            swap(&documents, &memo.documents)
            swap(&documentDigests, &memo.digests)
            for i in changed {
                results[i] = result(i)
                documents[jobs[i].key]![jobs[i].lang] = results[i].rendered
                documentDigests[jobs[i].key]![jobs[i].lang] = results[i].digest
            }
        } else {
            results = jobs.indices.parallelMap(result)
            documents.reserveCapacity(jobs.count)
            for (job, result) in zip(jobs, results) {
                documents[job.key, default: [:]][job.lang] = result.rendered
            }
            // Digests are for output signatures (`serve`): a build has none to make.
            if cache != nil {
                for (job, result) in zip(jobs, results) { documentDigests[job.key, default: [:]][job.lang] = result.digest }
            }
        }
        if let cache {
            cache.lastRun = Memo(options: options, identity: identity, stamps: stamps, results: results,
                                      documents: documents, digests: documentDigests)
        }

        // Unsafe destinations were removed; say so once per document source.
        var reportedUnsafe = Set<SourceLocation>()
        for result in results {
            for link in result.rendered.removedLinks where reportedUnsafe.insert(link.location).inserted {
                diagnostics.warning("the link `\(String(link.url.prefix(60)))` was removed: its scheme can run code in the reader's browser",
                                    at: link.location, hint: "link to http(s), mailto: or tel: addresses, or to other .md files")
            }
        }

        // The page's title is its one h1, and its outline goes down a level at a time: a
        // body's `#` heading, or `##` then `####`, breaks the outline screen readers give
        // (WCAG 1.3.1). Said once per document source.
        // Only what is reported goes into the sets: `serve` runs this at every save over
        // every document, and most headings have nothing to say.
        var reportedImages = Set<SourceLocation>(), reportedHeadings = Set<SourceLocation>()
        for result in results {
            // An image with no description is nothing to a screen reader (WCAG 1.1.1).
            for location in result.rendered.undescribedImages where reportedImages.insert(location).inserted {
                diagnostics.warning("the image has no description: screen readers cannot tell what it shows", at: location,
                                    hint: "write it between the brackets: ![Schéma du réseau](…)")
            }
            var previous = 1
            for (heading, location) in zip(result.rendered.headings, result.rendered.headingLocations) {
                defer { previous = heading.level }
                if heading.level == 1 {
                    guard reportedHeadings.insert(location).inserted else { continue }
                    diagnostics.warning("a level-1 heading in the body: the page's title is its only h1", at: location,
                                        hint: "start the body's headings at `##`")
                } else if heading.level > previous + 1 {
                    guard reportedHeadings.insert(location).inserted else { continue }
                    diagnostics.warning("the heading goes from level \(previous) to level \(heading.level), skipping a level", at: location,
                                        hint: "use `\(String(repeating: "#", count: previous + 1))` here, or add the level between")
                }
            }
        }

        // Check links; a fallback document whose anchors exist only in its own language
        // is re-rendered to point there.
        var overrides: [Int: [String: String]] = [:]
        var reported = Set<String>()
        // Verified on all cores (each document's links with their own memo), reported in order.
        let rendered = documents
        let verdicts: [[Verdict]] = results.parallelMap { result in
            var anchorMemo = AnchorMemo()
            return result.checks.map { verify($0, documents: rendered, anchors: &anchorMemo) }
        }
        for (index, result) in results.enumerated() {
            for (check, verdict) in zip(result.checks, verdicts[index]) {
                switch verdict {
                case .ok: break
                case .useSourceLanguage(let url): overrides[index, default: [:]][check.written] = url
                case .broken(let message, let hint):
                    let key = "\(check.location)|\(check.written)"
                    if reported.insert(key).inserted {
                        diagnostics.add(Diagnostic(content.site.brokenLinks, message, at: check.location, hint: hint))
                    }
                }
            }
        }
        for (index, map) in overrides.sorted(by: { $0.key < $1.key }) {
            let rendered = render(jobs[index], map).0
            documents[jobs[index].key]![jobs[index].lang] = rendered
            if cache != nil { documentDigests[jobs[index].key]![jobs[index].lang] = Self.digest(rendered) }
        }
        return Output(documents: documents, digests: documentDigests)
    }

    static func digest(_ doc: RenderedMarkdown) -> Digest {
        var h = Hasher()
        h.combineBytes(doc.html)
        for heading in doc.headings {
            h.combineBytes(heading.id); h.combineBytes(heading.text)
        }
        // The search index holds the headings of levels 1 to 3 apart from the other words.
        var words = Hasher()
        words.combineBytes(doc.words)
        for heading in doc.headings where heading.level <= 3 { words.combineBytes(heading.text) }
        return Digest(body: h.finalize(), words: words.finalize())
    }

    private enum Verdict {
        case ok
        case useSourceLanguage(String)
        case broken(String, String?)
    }

    /// Anchors of each document, computed once per run (many links point to the same pages).
    private struct AnchorMemo {
        var sets: [DocumentKey: [String: Set<String>]] = [:]

        mutating func anchors(_ key: DocumentKey, _ lang: String, _ doc: RenderedMarkdown) -> Set<String> {
            if let known = sets[key]?[lang] { return known }
            let set = MarkdownStage.anchors(of: doc)
            sets[key, default: [:]][lang] = set
            return set
        }
    }

    private func verify(_ check: LinkResolver.PendingCheck, documents: [DocumentKey: [String: RenderedMarkdown]],
                        anchors memo: inout AnchorMemo) -> Verdict {
        if let sitePath = check.sitePath {
            let clean = sitePath.percentDecoded
            let sitePaths = self.sitePaths.value
            if sitePaths.contains(clean) || sitePaths.contains(clean + (clean.hasSuffix("/") || clean.isEmpty ? "" : "/")) || clean.isEmpty {
                return .ok
            }
            return .broken("broken link `\(check.written)`: the site has no page at /\(clean)",
                           "link to the Markdown file instead (e.g. ../services/x.md) so the link follows the site")
        }
        guard let target = check.target else {
            return .broken("broken link `\(check.written)`: it does not point to a content file",
                           "links to other pages name their Markdown file: pages/x.md, services/x.md, incidents/x.md")
        }
        guard let byLang = documents[target], let doc = byLang[check.targetLang] else {
            // Its file exists but could not be read: that error is reported on its own.
            if content.unreadable.contains(target) { return .ok }
            if let (text, hint) = content.absence(target) { return .broken("broken link `\(check.written)`: \(text)", hint) }
            let ids: [String]
            switch target.kind {
            case .service: ids = Array(content.services.keys)
            case .page: ids = Array(content.pages.keys)
            case .incident: ids = Array(content.incidents.keys)
            }
            return .broken("broken link `\(check.written)`: there is no \(target.kind.rawValue.dropLast()) `\(target.id)`",
                           Spelling.closest(to: target.id, in: ids).map { "did you mean `\($0).md`?" })
        }
        guard let fragment = check.fragment, !fragment.isEmpty else { return .ok }
        let anchor = fragment.percentDecoded
        if memo.anchors(target, check.targetLang, doc).contains(anchor) { return .ok }
        if let sourceLang = check.sourceLang, let own = byLang[sourceLang], memo.anchors(target, sourceLang, own).contains(anchor) {
            return .useSourceLanguage(urls.url(target.route, lang: sourceLang) + "#" + fragment)
        }
        let available = doc.headings.map(\.id)
        return .broken("broken anchor `#\(anchor)` in `\(check.written)`: \(target) has no such heading",
                       Spelling.closest(to: anchor, in: available).map { "did you mean `#\($0)`?" }
                           ?? (available.isEmpty ? "that page has no headings" : "its headings: \(available.prefix(8).map { "#\($0)" }.joined(separator: ", "))"))
    }

    fileprivate static func anchors(of doc: RenderedMarkdown) -> Set<String> {
        var set = Set(doc.headings.map(\.id))
        // Footnote anchors generated by cmark-gfm.
        if doc.html.containsBytes("id=\"fn-") {
            var rest = doc.html[...]
            while let r = rest.range(of: "id=\"") {
                rest = rest[r.upperBound...]
                if let end = rest.firstIndex(of: "\"") { set.insert(String(rest[..<end])) }
            }
        }
        return set
    }
}
