import Foundation
import YourICTSupport

/// Writes a deterministic synthetic site: N service sheets of realistic shape (about
/// 3.2 KB each: front matter with packs, options and components; headings, tables,
/// lists and links), L languages, and Prometheus exports of S series over D days.
struct SyntheticSite {
    var services: Int
    var languages: Int
    var series: Int
    var days: Int
    var step: Int
    /// The realistic shape (`--shape realistic`, docs/performance.md): tags shared by many
    /// services with a Zipf-like spread, and every service's two components monitored
    /// over `days` in the yourict format (a few outages each), besides any series.
    var realistic = false

    static let languageCodes = ["fr", "nl", "de", "en"]

    /// Pseudo-random but reproducible words, so the Markdown is not one repeated string.
    private static let words = ["service", "plateforme", "disponibilité", "partenaire", "sauvegarde", "réseau",
                                "sécurité", "application", "maintenance", "support", "utilisateurs", "données",
                                "hébergement", "surveillance", "messagerie", "annuaire", "stockage", "accès"]

    /// What the generated files depend on: a folder holding these is not written again
    /// (deleting and recreating thousands of files would slow the runs that follow).
    private var stamp: String { "synthetic site 2: services \(services), languages \(languages), series \(series), days \(days), step \(step)\(realistic ? ", realistic" : "")\n" }

    /// Whether files were deleted (an older site there): false when the folder already
    /// held this site (only its templates are copied again) or did not exist.
    @discardableResult
    func write(to root: URL, templates: URL) throws -> Bool {
        let fm = FileManager.default
        let stampFile = root.appendingPathComponent(".bench-stamp")
        if (try? String(contentsOf: stampFile, encoding: .utf8)) == stamp {
            try? fm.removeItem(at: root.appendingPathComponent("templates"))
            try fm.copyItem(at: templates, to: root.appendingPathComponent("templates"))
            return false
        }
        let deleted = (try? fm.removeItem(at: root)) != nil
        for folder in ["content/services", "content/pages", "content/incidents", "content/monitoring"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try fm.copyItem(at: templates, to: root.appendingPathComponent("templates"))
        let langs = Array(Self.languageCodes.prefix(max(1, min(4, languages))))
        try siteYAML(langs).write(to: root.appendingPathComponent("content/site.yaml"), atomically: true, encoding: .utf8)
        try "---\ntitle: Support\nsummary: Support général.\n---\n## Helpdesk\n\nDu lundi au vendredi.\n"
            .write(to: root.appendingPathComponent("content/pages/support.md"), atomically: true, encoding: .utf8)
        for i in 0..<services {
            for (n, lang) in langs.enumerated() {
                let name = n == 0 ? "service-\(i).md" : "service-\(i).\(lang).md"
                try sheet(i, lang: lang).write(to: root.appendingPathComponent("content/services/\(name)"), atomically: false, encoding: .utf8)
            }
        }
        if series > 0 { try writeMonitoring(to: root.appendingPathComponent("content/monitoring")) }
        if realistic { try writeOwnFormatMonitoring(to: root.appendingPathComponent("content/monitoring")) }
        try stamp.write(to: stampFile, atomically: true, encoding: .utf8)
        return deleted
    }

    /// The same Markdown for Hugo, with a minimal template: the comparison of the run.
    @discardableResult
    func writeHugo(to root: URL, from site: URL) throws -> Bool {
        let fm = FileManager.default
        let stampFile = root.appendingPathComponent(".bench-stamp")
        if (try? String(contentsOf: stampFile, encoding: .utf8)) == stamp { return false }
        let deleted = (try? fm.removeItem(at: root)) != nil
        try fm.createDirectory(at: root.appendingPathComponent("layouts/_default"), withIntermediateDirectories: true)
        try fm.copyItem(at: site.appendingPathComponent("content/services"), to: root.appendingPathComponent("content/services"))
        // The realistic shape asks Hugo for what yourict makes too: every language, and a
        // page per tag listing its services.
        let langs = Array(Self.languageCodes.prefix(max(1, min(4, languages))))
        let config = realistic
            ? "baseURL = 'https://bench.example.org/'\ntitle = 'bench'\ndisableKinds = ['RSS']\ndefaultContentLanguage = '\(langs[0])'\n"
                + langs.enumerated().map { "[languages.\($0.element)]\nweight = \($0.offset + 1)\n" }.joined()
                + "[taxonomies]\ntag = 'tags'\n[markup.goldmark.renderer]\nunsafe = false\n"
            : "baseURL = 'https://bench.example.org/'\ntitle = 'bench'\ndisableKinds = ['taxonomy', 'term', 'RSS']\n[markup.goldmark.renderer]\nunsafe = false\n"
        try config.write(to: root.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let single = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n"
        try single.write(to: root.appendingPathComponent("layouts/_default/single.html"), atomically: true, encoding: .utf8)
        try "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n"
            .write(to: root.appendingPathComponent("layouts/_default/list.html"), atomically: true, encoding: .utf8)
        try stamp.write(to: stampFile, atomically: true, encoding: .utf8)
        return deleted
    }

    private func siteYAML(_ langs: [String]) -> String {
        """
        title: Benchmark
        base_url: https://bench.example.org/
        languages: [\(langs.joined(separator: ", "))]
        timezone: Europe/Brussels
        links: {broken: warning}
        # A benchmark is an example site: its figures are as of its data's last sample,
        # whatever the clock, and an unchanged site is an unchanged build.
        reference_time: \(Timestamp(seconds: Self.monitoringStart + Int64(days * 86_400 - step)).iso8601UTC)
        categories:
          infra: {name: Infrastructure, weight: 1}
          apps: {name: Applications, weight: 2}
          workplace: {name: Poste de travail, weight: 3}
        service_levels:
          critical: {name: Critique, target: 99.9, hours: "24h/24"}
          standard: {name: Standard, target: 99.7, hours: "24h/24"}
          basic: {name: Basique, target: 99.5, hours: "24h/24"}
        contacts:
          servicedesk: {name: Helpdesk, email: help@example.org, phone: "+32 2 000 00 00"}
        menu:
          - {section: dashboard}
          - {section: catalogue}
          - {section: incidents}
          - {page: support}

        """
    }

    private func word(_ i: Int, _ j: Int) -> String { Self.words[(i &* 31 &+ j &* 17) % Self.words.count] }

    private func sentence(_ i: Int, _ j: Int, length: Int = 14) -> String {
        var s = (0..<length).map { word(i, j + $0) }.joined(separator: " ")
        s = s.prefix(1).uppercased() + s.dropFirst()
        return s + "."
    }

    /// Two words of the vocabulary; in the realistic shape three tags of 200 drawn with a
    /// Zipf-like spread (the k-th most used on about 1/k of the services: the first on
    /// about half of them).
    private func tags(_ i: Int) -> String {
        guard realistic else { return "\(word(i, 13)), \(word(i, 14))" }
        var picked: [Int] = []
        var x = UInt64(truncatingIfNeeded: i) &* 0x9E3779B97F4A7C15 &+ 0x632BE59BD9B4E019
        while picked.count < 3 {
            x ^= x >> 31; x = x &* 0xBF58476D1CE4E5B9; x ^= x >> 27
            // Inverse of the harmonic distribution's CDF, by a table built once.
            let u = Double(x >> 11) / Double(1 << 53)
            let k = Self.zipf.firstIndex { $0 >= u } ?? Self.zipf.count - 1
            if !picked.contains(k) { picked.append(k) }
        }
        return picked.map { "thème-\($0 + 1)" }.joined(separator: ", ")
    }

    private static let zipf: [Double] = {
        let weights = (1...200).map { 1.0 / Double($0) }
        let total = weights.reduce(0, +)
        var sum = 0.0
        return weights.map { sum += $0; return sum / total }
    }()

    func sheet(_ i: Int, lang: String) -> String {
        let categories = ["infra", "apps", "workplace"], levels = ["critical", "standard", "basic"]
        var s = """
        ---
        title: "Service \(i) — \(word(i, 1)) \(word(i, 2))\(lang == "fr" ? "" : " (\(lang))")"
        summary: "\(sentence(i, 3, length: 12))"
        category: \(categories[i % 3])
        delivery: \(i % 2 == 0 ? "SaaS" : "PaaS")
        service_level: \(levels[i % 3])
        manager: {name: "Gestionnaire \(i)", email: "spoc\(i)@example.org", phone: "+32 2 000 \(String(format: "%02d", i % 100)) \(String(format: "%02d", (i / 100) % 100))"}
        packs:
          - {id: standard, name: Pack standard, description: "\(sentence(i, 4, length: 10))", includes: [\(word(i, 5)), \(word(i, 6)), \(word(i, 7))]}
          - {id: plus, name: Pack plus, description: "\(sentence(i, 8, length: 10))", includes: [\(word(i, 9)), \(word(i, 10))], service_level: critical}
        options:
          - {id: archive, name: Archivage, description: "\(sentence(i, 11, length: 9))"}
          - {id: extra, name: Capacité supplémentaire, description: "\(sentence(i, 12, length: 9))"}
        components:
          - {id: web, name: Portail, monitor: {job: blackbox, instance: "https://s\(i).example.org/"}}
          - {id: api, name: API, monitor: {job: blackbox, instance: "https://api.s\(i).example.org/health"}}
        tags: [\(tags(i))]
        weight: \(i % 50)
        ---

        ## Caractéristiques

        \(sentence(i, 20)) \(sentence(i, 21)) Voir aussi le [support](../pages/support.md#helpdesk).

        \(sentence(i, 23, length: 10)) **\(word(i, 24))** et *\(word(i, 25))*. \(sentence(i, 26))

        ## Responsabilités

        | Domaine | Service ICT | Partenaire |
        | --- | --- | --- |

        """
        for r in 0..<4 { s += "| \(word(i, 30 + r)) | \(sentence(i, 40 + r, length: 5)) | \(sentence(i, 50 + r, length: 4)) |\n" }
        s += "\n## Packs et options\n\n"
        for r in 0..<4 { s += "- \(sentence(i, 60 + r, length: 8))\n" }
        s += "\n### Prérequis\n\n1. \(sentence(i, 70))\n2. \(sentence(i, 71))\n3. Consultez [la documentation](https://docs.example.org/s\(i)) et le [service \((i + 1) % max(services, 1))](service-\((i + 1) % max(services, 1)).md).\n\n"
        s += "## Niveaux de service\n\n\(sentence(i, 80)) \(sentence(i, 81))\n\n> \(sentence(i, 83, length: 8))\n\n"
        s += "## Demander le service\n\n\(sentence(i, 90)) `\(word(i, 92))`\n"
        return s
    }

    /// probe_success for `series` series (two per service, as the sheets' matchers say),
    /// one file per chunk of at most 11,000 points, as Prometheus exports come.
    /// The first sample of the generated exports (2026-10-01T00:00:00Z).
    static let monitoringStart: Int64 = 1_790_812_800

    private func writeMonitoring(to folder: URL) throws {
        let start = Self.monitoringStart
        let points = days * 86_400 / step
        let perChunk = 11_000
        var state: UInt64 = 0x9E3779B97F4A7C15
        var chunkStart = 0
        var fileIndex = 0
        while chunkStart < points {
            let count = min(perChunk, points - chunkStart)
            var text = #"{"status":"success","data":{"resultType":"matrix","result":["#
            text.reserveCapacity(series * count * 18 + 1000)
            for k in 0..<series {
                let service = k / 2
                let instance = k % 2 == 0 ? "https://s\(service).example.org/" : "https://api.s\(service).example.org/health"
                text += (k == 0 ? "" : ",") + #"{"metric":{"__name__":"probe_success","instance":"\#(instance)","job":"blackbox"},"values":["#
                for p in 0..<count {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17
                    let t = start + Int64(chunkStart + p) * Int64(step)
                    text += (p == 0 ? "" : ",") + "[\(t),\"\(state % 5_000 == 0 ? 0 : 1)\"]"
                }
                text += "]}"
            }
            text += "]}}"
            try text.write(to: folder.appendingPathComponent("export-\(fileIndex).json"), atomically: false, encoding: .utf8)
            chunkStart += count
            fileIndex += 1
        }
    }

    /// Every service's two components in the yourict format over `days`: up, with one to
    /// five outages or partial outages of 2 to 90 minutes each, at reproducible times.
    private func writeOwnFormatMonitoring(to folder: URL) throws {
        let start = Self.monitoringStart
        let end = start + Int64(days * 86_400 - step)
        var x: UInt64 = 0x2545F4914F6CDD1D
        func next(_ bound: Int64) -> Int64 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return Int64(x % UInt64(bound))
        }
        var text = #"{"yourict_monitoring": 1, "source": "yourict-bench, realistic shape", "checks": ["#
        for i in 0..<services {
            for (n, component) in ["web", "api"].enumerated() {
                var cuts: [(Int64, Int64, String)] = []
                for _ in 0...next(4) {
                    let at = start + next(end - start - 6_000)
                    cuts.append((at, at + 120 + next(5_280), next(3) == 0 ? "partial" : "down"))
                }
                cuts.sort { $0.0 < $1.0 }
                var runs: [String] = []
                var t = start
                for (from, to, state) in cuts where from >= t {
                    runs.append(#"["\#(Timestamp(seconds: t).iso8601UTC)","\#(Timestamp(seconds: from).iso8601UTC)","up"]"#)
                    runs.append(#"["\#(Timestamp(seconds: from).iso8601UTC)","\#(Timestamp(seconds: to).iso8601UTC)","\#(state)"]"#)
                    t = to
                }
                runs.append(#"["\#(Timestamp(seconds: t).iso8601UTC)","\#(Timestamp(seconds: end).iso8601UTC)","up"]"#)
                text += (i == 0 && n == 0 ? "" : ",") + #"{"service":"service-\#(i)","component":"\#(component)","runs":[\#(runs.joined(separator: ","))]}"#
            }
        }
        text += "]}\n"
        try text.write(to: folder.appendingPathComponent("checks.json"), atomically: false, encoding: .utf8)
    }
}
