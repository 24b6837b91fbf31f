import Foundation
import YourICTSupport
import YourICTFormats
import YourICTContent

/// `yourict new service` and `yourict init`: files that are complete, valid and
/// commented, so that a new sheet or site builds and passes `check` at once.
public enum Scaffold {
    public enum ScaffoldError: Error, CustomStringConvertible {
        case refused(String, hint: String?)

        public var description: String {
            if case .refused(let message, _) = self { return message }
            return ""
        }

        public var hint: String? {
            if case .refused(_, let hint) = self { return hint }
            return nil
        }
    }

    // MARK: new service

    /// Writes `content/services/<id>[.<lang>].md` in the site at `source`; returns its path.
    /// `title` as the user gives it; without it, the id's words as written (`vpn` stays
    /// `vpn`: no guess turns an acronym into "Vpn").
    public static func newService(id: String, lang: String?, title: String? = nil, source: URL) throws -> String {
        guard Validation.isSafeID(id) else {
            throw ScaffoldError.refused("`\(id)` is not a valid service id", hint: Validation.idHint)
        }
        // An empty title wrote a sheet that `check` then refused.
        if let title, title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ScaffoldError.refused("--title is empty", hint: "give the service's name, or leave --title out to use the id's words")
        }
        let tree = DiskSourceTree(root: source)
        let bag = DiagnosticBag()
        guard let site = SiteConfigLoader.load(from: tree, diagnostics: bag) else {
            throw ScaffoldError.refused("no valid content/site.yaml in \(source.path)",
                                        hint: "run it in the site's folder (or pass --source), or start a site with `yourict init DIR`")
        }
        let language = lang ?? site.defaultLanguage
        guard site.languages.contains(language) else {
            throw ScaffoldError.refused("`\(language)` is not one of the site's languages (\(site.languages.joined(separator: ", ")))",
                                        hint: "add it to `languages` in site.yaml first")
        }
        let isTranslation = language != site.defaultLanguage
        let relative = "content/services/\(id)\(isTranslation ? ".\(language)" : "").md"
        let url = source.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) {
            throw ScaffoldError.refused("\(relative) already exists; it was not changed", hint: "choose another id, or edit the file")
        }
        if isTranslation && !FileManager.default.fileExists(atPath: source.appendingPathComponent("content/services/\(id).md").path) {
            throw ScaffoldError.refused("there is no content/services/\(id).md to translate",
                                        hint: "create it first: yourict new service \(id)")
        }
        let text = isTranslation
            ? translationSkeleton(id: id, lang: language, title: title, original: (try? tree.read("content/services/\(id).md")) ?? [])
            : sheetSkeleton(id: id, title: title, category: site.categories.first?.id, level: site.serviceLevels.first?.id)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return relative
    }

    static func sheetSkeleton(id: String, title: String? = nil, category: String?, level: String?) -> String {
        let title = title ?? id.split(separator: "-").joined(separator: " ")
        return """
        ---
        # The service's name, as partners know it.
        title: \(quoted(title))
        # One or two sentences: shown in the catalogue, the dashboard and search results.
        summary: What this service gives partners, in one or two sentences.
        # A key of `categories` in content/site.yaml.
        category: \(category ?? "general")
        # A delivery model of content/site.yaml (by default: IaaS, infrastructure only;
        # PaaS, infrastructure and system, the partner runs the application; SaaS,
        # everything provided, up to the application).
        delivery: SaaS
        # The default service level: a key of `service_levels` in content/site.yaml.
        service_level: \(level ?? "standard")
        # The service manager, the partners' single point of contact (SPOC).
        manager:
          name: Service Manager
          email: spoc@example.org
          phone: "+32 2 000 00 00"
        # Standard packs: what each includes, and its service level if not the default.
        packs:
          - id: standard
            name: Standard pack
            description: What the standard pack is for.
            includes:
              - First thing included
              - Second thing included
        # Options a partner can add to a pack.
        options:
          - id: option
            name: An option
            description: What the option adds.
        # Monitored parts of the service. `monitor` holds label matchers that select
        # Prometheus series (e.g. {job: blackbox, instance: "https://…"}); without it, the
        # component is measured by yourict monitoring files naming it, or by incidents.
        components:
          - id: main
            name: Main
        #   monitor: {job: blackbox, instance: "https://\(id).example.org/"}
        # Other services (or service/component) this one needs: when one is down, this
        # service shows as affected through it.
        # depends_on: [other-service]
        # planned, pilot, production (the default), deprecated or retired, with dates:
        # lifecycle: {stage: deprecated, until: 2027-03-31, replaced_by: other-service}
        # Words partners may search for.
        tags: []
        # Order in the catalogue (lower first), and `draft: true` to keep it unpublished.
        weight: 100
        draft: false
        ---

        ## Characteristics

        What the service does, for whom, and what sets it apart.

        ## Responsibilities

        | Area | ICT department | Partner |
        | --- | --- | --- |
        | Infrastructure and updates | Runs and updates the platform | — |
        | Users and access | Creates accounts on request | Asks for arrivals and departures |

        ## Requesting the service

        Contact the service manager, or the central helpdesk.

        """
    }

    /// A translation to write over: the original's texts (title, summary, packs, options,
    /// body), which the translator replaces one by one. The figures are not repeated.
    static func translationSkeleton(id: String, lang: String, title givenTitle: String? = nil, original: [UInt8]) -> String {
        var title = id, summary = "", body = "## Translate the body of \(id).md here\n"
        var packs: [YAMLNode] = [], options: [YAMLNode] = []
        if case .success(let source) = SourceText.decode(original, path: "\(id).md"),
           case .success(let document) = FrontMatter.split(source),
           case .success(.mapping(let fields)?) = YAMLDocument.parse(document.yaml, path: "\(id).md", firstLine: document.yamlFirstLine) {
            title = fields["title"]?.string ?? id
            summary = fields["summary"]?.string ?? ""
            if case .sequence(let list)? = fields["packs"] { packs = list.items }
            if case .sequence(let list)? = fields["options"] { options = list.items }
            if !document.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { body = document.body }
        }
        var lines = [
            "---",
            "# Translation (\(lang)) of \(id).md. Every text below is still the original's: translate it.",
            "# category, delivery, service levels, components and monitoring come from the original;",
            "# packs and options are matched by id (keep the ids, translate the rest).",
            "title: \(quoted(givenTitle ?? title))",
            "summary: \(quoted(summary))",
        ]
        func list(_ key: String, _ items: [YAMLNode], fields: [String]) {
            guard !items.isEmpty else { return }
            lines.append("\(key):")
            for case .mapping(let item) in items {
                var first = true
                for field in fields {
                    let prefix = first ? "  - " : "    "
                    if field == "includes" {
                        guard case .sequence(let entries)? = item[field], !entries.isEmpty else { continue }
                        lines.append(prefix + "includes:")
                        for entry in entries { lines.append("      - " + quoted(entry.string ?? "")) }
                    } else if let value = item[field]?.string {
                        lines.append(prefix + "\(field): " + quoted(value))
                    } else {
                        continue
                    }
                    first = false
                }
            }
        }
        list("packs", packs, fields: ["id", "name", "description", "includes"])
        list("options", options, fields: ["id", "name", "description"])
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + (body.hasPrefix("\n") ? "" : "\n") + body + (body.hasSuffix("\n") ? "" : "\n")
    }

    /// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    // MARK: init

    /// Writes a new site into `directory`: site.yaml, a page, a sheet, the default theme.
    public static func initSite(at directory: URL) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw ScaffoldError.refused("\(directory.path) exists and is not a folder", hint: nil) }
            let entries = (try? fm.contentsOfDirectory(atPath: directory.path))?.filter { !$0.hasPrefix(".") } ?? []
            if !entries.isEmpty {
                throw ScaffoldError.refused("\(directory.path) is not empty; nothing was written", hint: "choose a new or empty folder")
            }
        }
        var files: [(String, [UInt8])] = [
            ("content/site.yaml", siteYAML),
            ("content/pages/introduction.md", introduction),
            ("content/services/example.md", sheetSkeleton(id: "example", title: "Example service", category: "general", level: "standard")),
            (".gitignore", gitignore(adding: ["public/", ".public.previous/", ".public.staging-*/", ".yourict-cache/"],
                                     to: try? String(contentsOf: directory.appendingPathComponent(".gitignore"), encoding: .utf8))),
        ].map { ($0.0, Array($0.1.utf8)) }
        files += DefaultTheme.files
        for (path, bytes) in files {
            let url = directory.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        }
        for folder in ["content/incidents", "content/monitoring", "static"] {
            try fm.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        return files.map(\.0)
    }

    /// A folder's `.gitignore` with `lines` added where missing: a user's own rules (secrets,
    /// keys) are kept, not replaced by these four.
    static func gitignore(adding lines: [String], to existing: String?) -> String {
        guard var text = existing, !text.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        let present = Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = lines.filter { !present.contains($0) }
        guard !missing.isEmpty else { return text }
        if !text.hasSuffix("\n") { text += "\n" }
        return text + "# yourict\n" + missing.joined(separator: "\n") + "\n"
    }

    static let siteYAML = """
    # The site: see docs/content.md for every field.
    title: ICT service catalogue
    description: The services of the ICT department, their service levels and their status.
    organisation:
      name: ICT department
    # The address the site is published at (sitemap, feeds and canonical links need it).
    base_url: https://status.example.org/
    # The first language is the default; translations are <id>.<lang>.md files.
    languages: [en]
    timezone: Europe/Brussels
    categories:
      general: {name: General services, weight: 10}
    service_levels:
      critical: {name: Critical, target: 99.9, hours: "24/7"}
      standard: {name: Standard, target: 99.7, hours: "24/7"}
    support:
      helpdesk_hours: Monday to Friday, 8:00 to 18:00
      on_call: Outside these hours, an on-call team handles major incidents.
    contacts:
      servicedesk: {name: Central helpdesk, email: servicedesk@example.org, phone: "+32 2 000 00 00"}
    menu:
      - {section: dashboard}
      - {section: catalogue}
      - {section: incidents}
      - {page: introduction}

    """

    static let introduction = """
    ---
    title: Introduction
    summary: What the catalogue contains and how to use it.
    weight: 10
    ---

    The catalogue lists the services partners can use. Each service sheet describes the
    service, who is responsible for what, its standard packs and options, and its service
    levels. The dashboard shows their status, measured around the clock.

    """
}
