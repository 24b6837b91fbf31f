import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring
import YourICTSite
import YourICTTemplates

/// Entry points for the `yourict-fuzz` libFuzzer target (docs/fuzzing.md). Each runs
/// one input stage of a build on arbitrary bytes, the way a build runs it, and must
/// return with diagnostics whatever the bytes: a crash, a hang or runaway memory here
/// is a bug. `package`, not `public`: they exist for the fuzzer, not for users.
package enum FuzzEntryPoints {
    /// The stage an input is for: its first byte, `F` (content file), `Y` (site.yaml and
    /// interface strings), `M` (Markdown), `J` (monitoring JSON), `T` (a template) or `D`
    /// (the YAML fast path against Yams); any other byte picks one of the first four by its
    /// value, so that no input is wasted. The rest is the data.
    package static func run(_ input: [UInt8]) {
        guard let tag = input.first else { return }
        let data = Array(input.dropFirst())
        switch tag {
        case UInt8(ascii: "F"): contentFile(data)
        case UInt8(ascii: "Y"): siteConfig(data)
        case UInt8(ascii: "M"): markdown(data)
        case UInt8(ascii: "J"): monitoring(data)
        case UInt8(ascii: "T"): template(data)
        case UInt8(ascii: "D"): yamlDifferential(data)
        default:
            switch tag % 4 {
            case 0: contentFile(data)
            case 1: siteConfig(data)
            case 2: markdown(data)
            default: monitoring(data)
            }
        }
    }

    /// A Mustache template (only with the byte `T`, so that older corpora keep their
    /// stages): parsed, compiled beside a partial and a parent, and rendered with lists,
    /// text, flags and a lambda; the input includes itself through a dynamic name, so
    /// that the depth limit is reached too.
    package static func template(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard case .success(let compiled) = CompiledTemplates.compile(["t": text, "p": "<{{name}}>{{#items}}{{> p}}{{/items}}", "base": "[{{$main}}d{{/main}}]"]) else { return }
        let item: ViewContext = ["name": "a\"\u{301}<", "raw": "<b>", "items": [ViewContext](), "n": 3]
        let context: ViewContext = ["items": [item, ["name": "t"]], "name": "t", "flag": true, "raw": "&", "list": ["x", "y"],
                                    "lambda": TemplateLambda { (s: String) in s + "{{name}}" }]
        _ = compiled.renderBytes(context, template: "t", memo: FragmentMemo(sharedNames: []))
    }

    /// A sheet, page or incident: decoding, front matter, YAML, every field reader, as an
    /// original and as a translation of itself, then its body through cmark-gfm.
    package static func contentFile(_ bytes: [UInt8]) {
        let path = "content/services/fuzz.md"
        let diagnostics = DiagnosticBag()
        let tree = MemorySourceTree(bytes: [path: bytes])
        let site = fixture.site
        guard let loaded = ContentFile.load(path: path, tree: tree, languages: site.languages, diagnostics: diagnostics) else { return }
        let (file, node) = loaded
        func reader() -> YAMLReader? { file.reader(node, languages: site.languages, diagnostics: diagnostics) }
        if let r = reader(), let sheet = ServiceDecoder.decode(file, r, base: nil, site: site) {
            r.finish()
            if let t = reader() { _ = ServiceDecoder.decode(file, t, base: sheet, site: site) }
        }
        if let r = reader(), let incident = IncidentDecoder.decode(file, r, base: nil) {
            if let t = reader() { _ = IncidentDecoder.decode(file, t, base: incident) }
        }
        if let r = reader() { _ = PageDecoder.decode(file, r, base: nil) }
        _ = MarkdownRenderer.render(file.body, options: MarkdownOptions())
    }

    /// `content/site.yaml`, and the same bytes as a theme's interface strings.
    package static func siteConfig(_ bytes: [UInt8]) {
        let tree = MemorySourceTree(bytes: [SiteConfigLoader.path: bytes, "templates/i18n/fr.yaml": bytes])
        let diagnostics = DiagnosticBag()
        _ = SiteConfigLoader.load(from: tree, diagnostics: diagnostics)
        _ = I18n.load(tree: tree, folder: "templates", siteLanguages: ["fr"], diagnostics: diagnostics)
    }

    /// A Markdown body (raw HTML allowed when the first byte is odd), its links resolved
    /// against a small site as the Markdown stage does.
    package static func markdown(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let options = MarkdownOptions(unsafeHTML: (bytes.first ?? 0) & 1 == 1, reservedIDs: MarkdownStage.layoutIDs)
        let resolver = LinkResolver(content: fixture, urls: URLBuilder(basePath: "/status/", origin: "https://example.org"))
        let path = "content/pages/fuzz.md"
        _ = MarkdownRenderer.render(MarkdownSource(text: text, path: path, firstLine: 3), options: options) { url, location in
            resolver.resolve(url, sourcePath: path, sourceLang: "fr", lang: "nl", location: location).rewritten
        }
    }

    /// A monitoring file in either format: read, assigned to components, and turned into
    /// availability figures and the services API, as a build does.
    package static func monitoring(_ bytes: [UInt8]) {
        let tree = MemorySourceTree(bytes: ["content/monitoring/fuzz.json": bytes])
        let diagnostics = DiagnosticBag()
        let content = fixture
        let loader = MonitoringLoader.load(tree: tree, content: content, diagnostics: diagnostics)
        guard let reference = loader.newestSample else { return }
        let engine = AvailabilityEngine(content: content, calendar: ZonedCalendar(timeZone: content.site.timeZone), reference: reference)
        let report = engine.report(monitoring: loader)
        _ = ServicesAPI.document(content: content, status: report, urls: URLBuilder(basePath: "/", origin: "")).serialized()
    }

    /// The YAML fast path against Yams on the bytes as text (invalid UTF-8 repaired): a
    /// document the fast path accepts must read the same through Yams, or this traps, which
    /// libFuzzer reports as a crash with the input.
    package static func yamlDifferential(_ bytes: [UInt8]) {
        if case .disagreed(let difference) = YAMLDifferential.check(String(decoding: bytes, as: UTF8.self)) {
            fatalError("YAML fast path and Yams disagree: \(difference)")
        }
    }

    /// A small site the stages above are run against: two languages, a service with
    /// components matched by Prometheus labels, an incident.
    private static let fixture: ContentSet = {
        let tree = MemorySourceTree([
            "content/site.yaml": """
            title: Fuzz
            languages: [fr, nl]
            categories: {infra: {name: Infra}}
            service_levels: {critical: {target: 99.9}, standard: {target: 99.5}}

            """,
            "content/services/messagerie.md": """
            ---
            title: Messagerie
            summary: Courriel.
            category: infra
            delivery: SaaS
            service_level: critical
            components:
              - {id: webmail, name: Webmail, monitor: {job: blackbox}}
              - {id: smtp, name: SMTP, monitor: {instance: smtp}}
            ---
            ## Accès

            """,
            "content/pages/support.md": "---\ntitle: Support\n---\n## Helpdesk\n",
            "content/incidents/panne.md": """
            ---
            title: Panne
            severity: partial_outage
            affected: [messagerie/webmail]
            started_at: 2026-11-03T09:12:00+01:00
            resolved_at: 2026-11-03T10:40:00+01:00
            ---

            """,
        ])
        return ContentLoader.load(from: tree, includeDrafts: false, diagnostics: DiagnosticBag())!
    }()
}
