import Foundation
import XCTest
import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring
import YourICTSite
import YourICTPull
import YourICTPreview

/// Shared by every test target (Package.swift): what tests of the whole pipeline start from.
///
/// A small site for tests: `site.yaml`, the repository's default theme, and whatever
/// files a test adds. Lives in memory, or in a temporary folder for end-to-end runs.
package struct SiteFixture {
    package var files: [String: String]

    package static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The repository's `templates/`, as files of a source tree.
    package static let theme: [String: [UInt8]] = {
        let tree = DiskSourceTree(root: repositoryRoot)
        var out: [String: [UInt8]] = [:]
        for path in tree.allFiles(under: "templates") { out[path] = try! tree.read(path) }
        return out
    }()

    package static let siteYAML = """
    title: {fr: Catalogue test, nl: Testcatalogus}
    base_url: https://status.example.org/
    languages: [fr, nl]
    timezone: Europe/Brussels
    categories:
      communication: {name: {fr: Communication, nl: Communicatie}}
    service_levels:
      critical: {name: {fr: Critique, nl: Kritiek}, target: 99.9, hours: "24h/24"}
      standard: {name: {fr: Standard, nl: Standaard}, target: 99.5, hours: "24h/24"}
    contacts:
      servicedesk: {name: Helpdesk, email: help@example.org, phone: "+32 2 000 00 00"}
    menu:
      - {section: dashboard}
      - {section: catalogue}
      - {page: support}

    """

    package static let mailSheet = """
    ---
    title: Messagerie
    summary: Le courriel des agents.
    category: communication
    delivery: SaaS
    service_level: critical
    manager: {name: Ann Example, email: ann@example.org, phone: "+32 2 000 00 01"}
    packs:
      - {id: standard, name: Pack standard, description: La boîte de base., includes: [50 Go, Antispam]}
      - {id: plus, name: Pack plus, includes: [100 Go], service_level: standard}
    options:
      - {id: archive, name: Archivage, description: Conservation légale.}
    components:
      - {id: webmail, name: Webmail, monitor: {job: blackbox, instance: "https://webmail.example.org/"}}
    ---
    ## Caractéristiques

    Voir le [support](../pages/support.md#helpdesk).

    """

    package init(_ extra: [String: String] = [:]) {
        files = [
            "content/site.yaml": Self.siteYAML,
            "content/services/messagerie.md": Self.mailSheet,
            "content/pages/support.md": "---\ntitle: Support\n---\n## Helpdesk\n\nDu lundi au vendredi.\n",
        ]
        files.merge(extra) { _, new in new }
    }

    package var tree: MemorySourceTree {
        var bytes = Self.theme
        for (path, text) in files { bytes[path] = Array(text.utf8) }
        return MemorySourceTree(bytes: bytes)
    }

    /// Generates in memory; returns the site and every diagnostic.
    package func generate(_ settings: BuildSettings = BuildSettings()) -> (GeneratedSite?, [Diagnostic]) {
        let bag = DiagnosticBag()
        let site = SiteGenerator.generate(tree: tree, settings: settings, diagnostics: bag)
        return (site, bag.all.sortedForDisplay())
    }

    /// Writes the site's source files into a new temporary folder.
    package func writeToDisk() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-test-\(UUID().uuidString)")
        for (path, bytes) in tree.contents {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return root
    }
}

extension GeneratedSite {
    package func text(_ path: String) -> String? {
        files.first { $0.path == path }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }
}

/// Asserts that `text` contains `fragment`, printing a useful excerpt when not.
package func XCTAssertContains(_ text: String?, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let text else { return XCTFail("no text (missing file?)", file: file, line: line) }
    if !text.contains(fragment) {
        XCTFail("expected to find:\n\(fragment)\nin:\n\(text.prefix(3000))", file: file, line: line)
    }
}

package func XCTAssertNotContains(_ text: String?, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let text else { return XCTFail("no text (missing file?)", file: file, line: line) }
    if text.contains(fragment) { XCTFail("did not expect to find: \(fragment)", file: file, line: line) }
}

extension Array where Element == Diagnostic {
    /// `path:line:column: severity: message` lines, for exact assertions.
    package var lines: [String] {
        map { d in "\(d.location.map { "\($0): " } ?? "")\(d.severity.rawValue): \(d.message)" }
    }
}

extension String {
    /// The part of a page after the first `start` and before the next `end`: one section.
    package func section(after start: String, until end: String) -> String? {
        components(separatedBy: start).dropFirst().first?.components(separatedBy: end).first
    }

    /// The item of a list section (split by `separator`, `"<li>"` or `"<tr>"`) that holds `marker`.
    package func item(separatedBy separator: String, containing marker: String) -> String? {
        components(separatedBy: separator).first { $0.contains(marker) }
    }
}
