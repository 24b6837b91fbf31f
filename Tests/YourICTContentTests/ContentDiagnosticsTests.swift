import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTContent
@testable import YourICTSite

/// Content errors come out as `path:line:column` in the original file, all at once.
final class ContentDiagnosticsTests: XCTestCase {
    func testYAMLSyntaxErrorIsLocatedInTheOriginalFile() {
        let sheet = "---\ntitle: Messagerie\nsummary: Note: broken\n---\nBody\n"
        let (site, diagnostics) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        XCTAssertNil(site)
        XCTAssertEqual(diagnostics.first?.location, SourceLocation(path: "content/services/messagerie.md", line: 3, column: 14))
        XCTAssertEqual(diagnostics.first?.hint, "a value containing `: ` must be quoted: summary: \"Note: broken\"")
    }

    func testAnUnreadableFileIsOneErrorNotACascade() {
        // The sheet is referenced by a translation, an incident, a page link and the menu's page.
        let files = [
            "content/services/messagerie.md": "---\ntitle: [oops\n---\n",
            "content/services/messagerie.nl.md": "---\ntitle: E-mail\n---\n",
            "content/incidents/panne.md": "---\ntitle: Panne\nseverity: major_outage\naffected: [messagerie/webmail]\nstarted_at: 2026-10-20T10:00:00Z\n---\n",
            "content/pages/support.md": "---\ntitle: Support\n---\n## Helpdesk\n\nVoir la [messagerie](../services/messagerie.md#archivage).\n",
        ]
        let (_, diagnostics) = SiteFixture(files).generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["content/services/messagerie.md:3:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"])
        // A reference to a file that does not exist at all is still an error.
        let (_, missing) = SiteFixture(["content/pages/support.md": "---\ntitle: Support\n---\n## Helpdesk\n\nVoir [x](../services/nope.md).\n"]).generate()
        XCTAssertEqual(missing.filter { $0.severity == .error }.count, 1, missing.lines.joined(separator: "\n"))
        XCTAssertContains(missing.lines.joined(), "there is no service `nope`")
    }

    /// `x.md` and `x.<default>.md` are the same document: an error at the second, whose
    /// translation-style name gives the default language. A translation is not a duplicate.
    func testTheSameDocumentInTwoFilesIsAnError() {
        let (site, diagnostics) = SiteFixture([
            "content/services/messagerie.md": SiteFixture.mailSheet,
            "content/services/messagerie.fr.md": SiteFixture.mailSheet,
            "content/services/messagerie.nl.md": "---\ntitle: E-mail\n---\n",
        ]).generate()
        XCTAssertNil(site)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["content/services/messagerie.md:1:1: error: `messagerie` in `fr` is defined twice, here and in content/services/messagerie.fr.md"])
        XCTAssertTrue(ContentLoader.namesLanguage("content/services/messagerie.fr.md"))
        XCTAssertFalse(ContentLoader.namesLanguage("content/services/messagerie.md"))
        XCTAssertFalse(ContentLoader.namesLanguage("content/a.b/messagerie.md"))
    }

    func testEveryErrorIsReportedNotJustTheFirst() {
        let (_, diagnostics) = SiteFixture([
            "content/services/a.md": "---\ntitle: A\nsummary: A\ncategory: communication\ndelivery: DaaS\nservice_level: critical\n---\n",
            "content/services/b.md": "---\ntitle: B\nsummary: B\ncategory: communication\ndelivery: SaaS\nservice_level: gold\n---\n",
        ]).generate()
        let errors = diagnostics.filter { $0.severity == .error }.lines
        XCTAssertTrue(errors.contains("content/services/a.md:5:11: error: `delivery` must be one of `PaaS`, `SaaS`, `IaaS`, found `DaaS`"), "\(errors)")
        XCTAssertTrue(errors.contains("content/services/b.md:6:16: error: service level `gold` is not defined in site.yaml `service_levels`"), "\(errors)")
    }

    /// `service_levels` written as a list is one error in site.yaml, not one more at every
    /// sheet that names a level; with no levels at all, a sheet's error says to add one.
    func testUnreadableServiceLevelsAreOneError() {
        let sheets = ["content/services/a.md": "---\ntitle: A\nsummary: A\ncategory: communication\ndelivery: SaaS\nservice_level: critical\n---\n",
                      "content/services/b.md": "---\ntitle: B\nsummary: B\ncategory: communication\ndelivery: SaaS\nservice_level: standard\n---\n"]
        let listed = SiteFixture.siteYAML.replacingOccurrences(
            of: "service_levels:\n  critical: {name: {fr: Critique, nl: Kritiek}, target: 99.9, hours: \"24h/24\"}\n  standard: {name: {fr: Standard, nl: Standaard}, target: 99.5, hours: \"24h/24\"}\n",
            with: "service_levels: [critical, standard]\n")
        XCTAssertNotEqual(listed, SiteFixture.siteYAML)
        var fixture = SiteFixture(sheets)
        fixture.files["content/site.yaml"] = listed
        XCTAssertEqual(fixture.generate().1.filter { $0.severity == .error }.lines,
                       ["content/site.yaml:7:17: error: `service_levels` must be a mapping of id to fields"])

        fixture.files["content/site.yaml"] = listed.replacingOccurrences(of: "service_levels: [critical, standard]\n", with: "")
        let none = fixture.generate().1.filter { $0.severity == .error }
        XCTAssertEqual(none.lines, ["content/services/a.md:6:16: error: service level `critical` is not defined in site.yaml `service_levels`",
                                    "content/services/b.md:6:16: error: service level `standard` is not defined in site.yaml `service_levels`",
                                    "content/services/messagerie.md:6:16: error: service level `critical` is not defined in site.yaml `service_levels`",
                                    "content/services/messagerie.md:10:53: error: service level `standard` is not defined in site.yaml `service_levels`"])
        XCTAssertEqual(none.first?.hint, "site.yaml defines no levels: add `critical` under `service_levels` (with its `target`, e.g. 99.9)")
    }

    /// An empty or null item of a list was published as content (an empty bullet, a "~"
    /// keyword, a filter page /tag/null/); text with commas where a list was meant became
    /// one keyword. Each is a warning at the item, and the empty ones are left out.
    func testEmptyListItemsAndCommaTextAreWarnings() throws {
        let sheet = """
        ---
        title: A
        summary: A
        category: communication
        delivery: SaaS
        service_level: critical
        tags: [visio, ~, null, ""]
        packs:
          - id: base
            name: Base
            includes:
              - 50 Go
              -
              - Antispam
        ---

        """
        let (site, diagnostics) = SiteFixture(["content/services/a.md": sheet, "content/services/b.md": sheet.replacingOccurrences(of: "tags: [visio, ~, null, \"\"]", with: "tags: visio, réunions").replacingOccurrences(of: "title: A", with: "title: B")]).generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .warning && $0.location?.path.hasPrefix("content/services/") == true && !$0.message.contains("manager") }.lines, [
            "content/services/a.md:7:15: warning: an empty item of `tags` is left out",
            "content/services/a.md:7:18: warning: an empty item of `tags` is left out",
            "content/services/a.md:7:24: warning: an empty item of `tags` is left out",
            "content/services/a.md:13:8: warning: an empty item of `includes` is left out",
            "content/services/b.md:7:7: warning: `tags` is one item, `visio, réunions`",
            "content/services/b.md:13:8: warning: an empty item of `includes` is left out",
        ])
        XCTAssertEqual(diagnostics.first { $0.message.contains("`tags` is one item") }?.hint,
                       "a list is written in brackets: tags: [visio, réunions]; to keep one item with a comma, quote it")
        let page = try XCTUnwrap(site?.text("fr/services/a/index.html"))
        XCTAssertContains(page, "<li>50 Go</li><li>Antispam</li>")
        XCTAssertNil(site?.text("fr/catalogue/tag/null/index.html"))
    }

    func testAKeywordWithoutLetterOrDigitIsAWarning() {
        let sheet = "---\ntitle: A\nsummary: A\ncategory: communication\ndelivery: SaaS\nservice_level: critical\ntags: [visio, \"???\", 🎥, C#]\n---\n"
        let (_, diagnostics) = SiteFixture(["content/services/a.md": sheet]).generate()
        XCTAssertEqual(diagnostics.filter { $0.message.hasPrefix("the keyword") }.lines, [
            "content/services/a.md:7:15: warning: the keyword `???` has no letter or digit: no filter page lists it",
            "content/services/a.md:7:22: warning: the keyword `🎥` has no letter or digit: no filter page lists it",
        ])
    }

    /// A draft is left out of a build without `--drafts`; what names it is told so, not
    /// "there is no service" with the hint "services are the files in content/services/"
    /// beside the very file. Its monitoring is no "not a service" warning.
    func testReferencesToADraftSayItIsADraft() throws {
        let draft = "---\ntitle: Archives\nsummary: A\ncategory: communication\ndelivery: SaaS\nservice_level: critical\ndraft: true\ncomponents:\n  - {id: web, name: Web}\n---\n"
        let mail = SiteFixture.mailSheet.replacingOccurrences(of: "service_level: critical\n", with: "service_level: critical\ndepends_on: [archives]\n")
        let files = [
            "content/services/archives.md": draft,
            "content/services/messagerie.md": mail,
            "content/incidents/panne.md": "---\ntitle: Panne\nseverity: major_outage\naffected: [archives/web]\nstarted_at: 2026-10-20T10:00:00Z\n---\n",
            "content/pages/support.md": "---\ntitle: Support\n---\n## Helpdesk\n\nVoir les [archives](../services/archives.md).\n",
            "content/monitoring/own.json": #"{"yourict_monitoring": 1, "checks": [{"service": "archives", "component": "web", "runs": [["2026-10-01T00:00:00Z","2026-10-30T00:00:00Z","up"]]}]}"#,
        ]
        let (_, diagnostics) = SiteFixture(files).generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let problems = diagnostics.filter { $0.message.contains("archives") }
        XCTAssertEqual(problems.lines, [
            "content/incidents/panne.md:4:12: error: `archives/web`: `archives` is a draft (`draft: true`), left out of this build",
            "content/pages/support.md:6:10: error: broken link `../services/archives.md`: `archives` is a draft (`draft: true`), left out of this build",
            "content/services/messagerie.md:7:14: error: `depends_on`: `archives` is a draft (`draft: true`), left out of this build",
        ])
        XCTAssertTrue(problems.allSatisfy { $0.hint == "publish it (remove `draft: true`) before what names it, or preview both with `--drafts`" })
        let (site, withDrafts) = SiteFixture(files).generate(BuildSettings(includeDrafts: true, now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(withDrafts.filter { $0.severity == .error }.lines, [])
        XCTAssertNotNil(site?.text("fr/services/archives/index.html"))
    }

    func testTwoServicesWithOneTitleAreAWarning() {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "title: Messagerie", with: "title: messagerie ")
        let (site, diagnostics) = SiteFixture(["content/services/mail.md": sheet]).generate()
        XCTAssertNotNil(site)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("both titled") }.lines,
                       ["content/services/messagerie.md:2:8: warning: services `mail` and `messagerie` are both titled `Messagerie`"])
    }

    /// The folded title is kept with the sheet (serve checks every title at each save):
    /// it must follow the title wherever the title is set.
    func testTheFoldedTitleFollowsTheTitle() {
        var sheet = ServiceSheet(id: "mail", lang: "fr", path: "content/services/mail.md", title: "  La  Messagerie\u{00A0}Web ",
                                 summary: "", category: "", delivery: "", serviceLevel: "", manager: nil, packs: [], options: [],
                                 components: [], tags: [], draft: false, weight: 0, downWhen: .any,
                                 body: MarkdownSource(text: "", path: "content/services/mail.md", firstLine: 1))
        XCTAssertEqual(sheet.titleKey, "la messagerie web")
        let copy = sheet
        sheet.title = "ÉCHANGE de fichiers"
        XCTAssertEqual(sheet.titleKey, "échange de fichiers")
        XCTAssertEqual(copy.titleKey, "la messagerie web", "a copy keeps its own title's key")
    }

    /// The page's title is its one h1, and the outline goes down a level at a time (WCAG
    /// 1.3.1): a body's `#` heading or a skipped level is a warning, once per source file
    /// (the page is rendered in each language that falls back to it).
    func testABodyThatBreaksTheOutlineIsAWarning() {
        let page = "---\ntitle: Support\n---\n# Un titre\n\n## Helpdesk\n\n#### Détails\n\n### Horaires\n\n## Contact\n\n### Téléphone\n"
        let (site, diagnostics) = SiteFixture(["content/pages/support.md": page]).generate()
        XCTAssertNotNil(site)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("level") && $0.location?.path == "content/pages/support.md" }.lines, [
            "content/pages/support.md:4:1: warning: a level-1 heading in the body: the page's title is its only h1",
            "content/pages/support.md:8:1: warning: the heading goes from level 2 to level 4, skipping a level",
        ])
        XCTAssertEqual(diagnostics.first { $0.message.contains("skipping") }?.hint, "use `###` here, or add the level between")

        // An image with no description, once per source file; one with a description is fine.
        let images = "---\ntitle: Support\n---\n## Helpdesk\n\n![](https://example.org/a.png) et ![Le plan](https://example.org/b.png)\n"
        let (_, imageDiagnostics) = SiteFixture(["content/pages/support.md": images]).generate()
        XCTAssertEqual(imageDiagnostics.filter { $0.message.contains("image") }.lines,
                       ["content/pages/support.md:6:1: warning: the image has no description: screen readers cannot tell what it shows"])
    }

    func testDidYouMeanFindsAnIdWrittenShortAndNeverARetiredReplacement() {
        let ids = ["hebergement-applications", "messagerie", "telecopie", "telephonie-cloud", "sites-web"]
        XCTAssertEqual(Spelling.closest(to: "hebergement", in: ids), "hebergement-applications")
        XCTAssertEqual(Spelling.closest(to: "messagrie", in: ids), "messagerie")
        XCTAssertNil(Spelling.closest(to: "site", in: ids), "too short to guess")
        XCTAssertNil(Spelling.closest(to: "tele", in: ids))
        // `replaced_by` suggests no retired service.
        let retired = "---\ntitle: Fax\nsummary: A\ncategory: communication\ndelivery: SaaS\nservice_level: critical\nlifecycle: {stage: retired, since: 2026-01-01}\n---\n"
        let deprecated = "---\ntitle: Tel\nsummary: A\ncategory: communication\ndelivery: SaaS\nservice_level: critical\nlifecycle: {stage: deprecated, replaced_by: telefonie}\n---\n"
        let (_, diagnostics) = SiteFixture(["content/services/telecopie.md": retired, "content/services/telephonie.md": deprecated]).generate()
        let error = diagnostics.first { $0.message.hasPrefix("`replaced_by`") }
        XCTAssertEqual(error?.message, "`replaced_by`: there is no service `telefonie`")
        XCTAssertEqual(error?.hint, "services are the files in content/services/")
    }

    func testMissingRequiredFieldsAndWrongTypes() {
        let (_, diagnostics) = SiteFixture([
            "content/services/a.md": "---\ntitle: [not, text]\ncategory: communication\ndelivery: SaaS\nservice_level: critical\nweight: heavy\n---\n",
        ]).generate()
        let lines = diagnostics.lines
        XCTAssertTrue(lines.contains("content/services/a.md:2:8: error: `title` must be text, found a list"), "\(lines)")
        XCTAssertTrue(lines.contains("content/services/a.md:2:1: error: missing required field `summary`"), "\(lines)")
        XCTAssertTrue(lines.contains("content/services/a.md:6:9: error: `weight` must be a whole number, found `heavy`"), "\(lines)")
    }

    /// Past the first 64 keys of a mapping (a reader tracks those in a bit mask), known
    /// keys are still known and unknown ones still reported.
    func testUnknownKeysAreFoundInLargeMappings() {
        let extra = (0..<70).map { "x\($0): 1\n" }.joined()
        let page = "---\n" + extra + "title: Support\nsumary: oops\nweight: 2\n---\n## Helpdesk\n\nBody\n"
        let (site, diagnostics) = SiteFixture(["content/pages/support.md": page]).generate()
        XCTAssertNotNil(site, diagnostics.filter { $0.severity == .error }.lines.joined(separator: "\n"))
        let unknown = diagnostics.filter { $0.message.hasPrefix("unknown field") }
        XCTAssertEqual(unknown.count, 71)
        XCTAssertEqual(unknown.last?.message, "unknown field `sumary`; it is ignored")
        XCTAssertEqual(unknown.last?.hint, "did you mean `summary`?")
        XCTAssertFalse(unknown.contains { $0.message.contains("`title`") || $0.message.contains("`weight`") })
    }

    func testUnknownKeyIsAWarningWithSuggestion() {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "summary:", with: "sumary:")
        let (_, diagnostics) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        let warning = diagnostics.first { $0.message.hasPrefix("unknown field") }
        XCTAssertEqual(warning?.message, "unknown field `sumary`; it is ignored")
        XCTAssertEqual(warning?.hint, "did you mean `summary`?")
        XCTAssertEqual(warning?.location?.line, 3)
    }

    func testPhoneNumbersBecomeTelLinks() {
        XCTAssertEqual(Validation.telURI("+32 2 501 05 55"), "tel:+3225010555")
        XCTAssertEqual(Validation.telURI("(02) 501.05-55 / 12"), "tel:025010555" + "12")
        XCTAssertEqual(Validation.telURI("+32\u{A0}2\u{A0}501"), "tel:+322501")
        XCTAssertNil(Validation.telURI("12"), "fewer than three digits")
        XCTAssertNil(Validation.telURI("2 + 3 45"), "a + after the start")
        XCTAssertNil(Validation.telURI("call 123"))
        XCTAssertNil(Validation.telURI("١٢٣٤"), "only ASCII digits")
        XCTAssertNil(Validation.telURI("+3\u{301}2 2 501"), "a combining mark")
        XCTAssertNil(Validation.telURI("123 ©"), "U+00A9 shares the lead byte of U+00A0")
        XCTAssertNil(Validation.telURI("12\u{C3}\u{A0}3"))
    }

    /// The error points at the key written again (usually the one just added), and names
    /// the line of the first: it pointed at the first only.
    func testDuplicateKeysAreAnErrorAtTheRepeat() {
        let (_, diagnostics) = SiteFixture(["content/pages/x.md": "---\ntitle: A\nsummary: S\n  # a comment\ntitle: B\n---\n"]).generate()
        XCTAssertEqual(diagnostics.filter { $0.message.contains("duplicate key") }.lines,
                       ["content/pages/x.md:5:1: error: duplicate key `title` in the same mapping (first at line 2)"])
        let nested = "---\ntitle: A\nmanager:\n  name: Ann\n  email: a@example.org\n  name: Bob\n---\n"
        let (_, nestedDiagnostics) = SiteFixture(["content/services/x.md": nested]).generate()
        XCTAssertEqual(nestedDiagnostics.filter { $0.message.contains("duplicate key") }.lines,
                       ["content/services/x.md:6:3: error: duplicate key `name` in the same mapping (first at line 4)"])
    }

    func testIncidentReferencesMustResolve() {
        let incident = """
        ---
        title: Panne
        severity: major_outage
        affected: [messagerie/smtp, agenda]
        started_at: 2026-11-03T09:12:00+01:00
        ---

        """
        let (_, diagnostics) = SiteFixture(["content/incidents/i.md": incident]).generate()
        let lines = diagnostics.lines
        XCTAssertTrue(lines.contains("content/incidents/i.md:4:12: error: `messagerie/smtp`: service `messagerie` has no component `smtp`"), "\(lines)")
        XCTAssertTrue(lines.contains("content/incidents/i.md:4:29: error: `agenda`: there is no service `agenda`"), "\(lines)")
        XCTAssertEqual(diagnostics.first { $0.message.contains("`messagerie/smtp`") }?.hint, "its components: webmail")
    }

    /// Updates outside an incident's stretch, and a year typed short, were taken without a
    /// word: a page read "resolved 09:30, 18 minutes" above "identified 09:58, resolved
    /// 10:40"; a start in the year 26 made an incident of 730,485 days and 120 months of
    /// reports for the service.
    func testUpdatesOutsideTheIncidentAndAMistypedYearAreWarned() {
        let incident = """
        ---
        title: Panne
        severity: major_outage
        affected: [messagerie]
        started_at: 2026-11-03T09:12:00+01:00
        resolved_at: 2026-11-03T09:30:00+01:00
        updates:
          - {at: 2026-11-03T09:00:00+01:00, status: investigating, body: Vu.}
          - {at: 2026-11-03T09:58:00+01:00, status: identified, body: Trouvé.}
          - {at: 2026-11-03T10:40:00+01:00, status: resolved, body: Fini.}
        ---

        """
        let (_, diagnostics) = SiteFixture(["content/incidents/i.md": incident]).generate()
        XCTAssertEqual(diagnostics.filter { $0.message.contains("this update is dated") }.lines, [
            "content/incidents/i.md:8:5: warning: this update is dated 2026-11-03T08:00:00Z, before `started_at` (2026-11-03T08:12:00Z): the incident counts only from `started_at`",
            "content/incidents/i.md:9:5: warning: this update is dated 2026-11-03T08:58:00Z, after `resolved_at` (2026-11-03T08:30:00Z): the incident counts only until `resolved_at`",
        ])
        XCTAssertEqual(diagnostics.first { $0.message.contains("after `resolved_at`") }?.hint,
                       "if it lasted until then, write resolved_at: 2026-11-03T09:40:00Z; else correct the update's `at`")
        let typo = "---\ntitle: Panne\nseverity: major_outage\naffected: [messagerie]\nstarted_at: 0026-11-03T09:12:00+01:00\nresolved_at: 2026-11-03T10:00:00+01:00\n---\n"
        let (_, typoDiagnostics) = SiteFixture(["content/incidents/i.md": typo]).generate()
        XCTAssertEqual(typoDiagnostics.filter { $0.message.contains("mistyped") }.lines,
                       ["content/incidents/i.md:5:1: warning: `started_at` is 0026-11-03T08:12:00Z, before 1990: is the year mistyped?"])
    }

    /// `languages: [FR, nl]` gave six errors about texts "defined twice" before the one
    /// that mattered. It is one error, with the code to write; the rest reads it as `fr`.
    func testAnUpperCaseLanguageCodeIsOneErrorWithItsFix() {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [FR, nl]")
        XCTAssertNotEqual(yaml, SiteFixture.siteYAML)
        // A page and its Dutch translation: with `FR` dropped, Dutch became the first
        // language, and both files its version ("`aide` in `nl` is defined twice").
        let (site, diagnostics) = SiteFixture(["content/site.yaml": yaml,
                                               "content/pages/aide.md": "---\ntitle: Aide\n---\nTexte.\n",
                                               "content/pages/aide.nl.md": "---\ntitle: Hulp\n---\nTekst.\n"]).generate()
        XCTAssertNil(site)
        let errors = diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.message), ["`FR` is not a language code"])
        XCTAssertEqual(errors.first?.hint, "write it in lower case: `fr`")
    }

    /// `timezone: UTC+1` was taken without a word: a zone fixed at one hour, so every time
    /// shown and every month boundary an hour off in summer. A warning; UTC and region
    /// names are not.
    func testAFixedOffsetTimeZoneIsAWarning() {
        for (zone, warned) in [("UTC+1", true), ("GMT-05:00", true), ("UTC", false), ("Europe/Brussels", false)] {
            let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "timezone: Europe/Brussels", with: "timezone: \(zone)")
            let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate()
            let warnings = diagnostics.filter { $0.message.contains("fixed offset") }
            XCTAssertEqual(warnings.count, warned ? 1 : 0, zone)
            if warned { XCTAssertEqual(warnings.first?.message, "`\(zone)` is a fixed offset from UTC, without summer time: where clocks change, times and month boundaries are an hour off for part of the year") }
        }
    }

    /// A component named on a service that has none: the hint said "its components: " and
    /// stopped there; it says what to write instead.
    func testAComponentOfAServiceWithoutComponentsSaysToNameTheServiceAlone() {
        let sheet = "---\ntitle: Fax\nsummary: Le fax.\ncategory: communication\ndelivery: SaaS\nservice_level: standard\nmanager: {name: Ann Example, email: ann@example.org}\n---\n"
        let incident = "---\ntitle: Panne\nseverity: major_outage\naffected: [fax/ligne]\nstarted_at: 2026-11-03T09:12:00+01:00\n---\n"
        let check = #"{"yourict_monitoring": 1, "checks": [{"service": "fax", "component": "ligne", "samples": [[1790816400, "up"]]}]}"#
        let (_, diagnostics) = SiteFixture(["content/services/fax.md": sheet, "content/incidents/i.md": incident, "content/monitoring/own.json": check]).generate()
        XCTAssertEqual(diagnostics.first { $0.message.contains("`fax/ligne`: service `fax` has no component") }?.hint,
                       "it has no components: name the service alone")
        XCTAssertEqual(diagnostics.first { $0.message.contains("monitoring for `fax/ligne`") }?.hint,
                       "it has no components: remove the check's \"component\"")
    }

    /// Each way a date and time can be wrong is named: no offset, a day or time that does
    /// not exist (the offset is there), or not a date at all.
    func testDatesNeedAnOffsetAndMustExist() {
        let cases = [
            ("2026-11-03 09:12", "`started_at` has no offset, found `2026-11-03 09:12`",
             "add the offset from UTC: 2026-11-03 09:12+01:00 in the site's time zone (Europe/Brussels) on that day, or Z for UTC"),
            ("2026-13-01T09:12:00+01:00", "`started_at` names a day or time that does not exist, found `2026-13-01T09:12:00+01:00`",
             "check the month (01–12), the day (that month has no such day) and the time (00:00–23:59)"),
            ("2026-02-30T09:12:00Z", "`started_at` names a day or time that does not exist, found `2026-02-30T09:12:00Z`",
             "check the month (01–12), the day (that month has no such day) and the time (00:00–23:59)"),
            ("hier", "`started_at` must be a date and time with an offset, found `hier`",
             "write it as 2026-11-03T09:12:00+01:00 (or …Z for UTC)"),
        ]
        for (value, message, hint) in cases {
            let incident = "---\ntitle: P\nseverity: major_outage\naffected: [messagerie]\nstarted_at: \(value)\n---\n"
            let (_, diagnostics) = SiteFixture(["content/incidents/i.md": incident]).generate()
            let error = diagnostics.first { $0.severity == .error }
            XCTAssertEqual(error?.lines, "content/incidents/i.md:5:13: error: \(message)")
            XCTAssertEqual(error?.hint, hint)
        }
        // The offset suggested is the site's, on that day: not Brussels' for a site in Chile.
        let incident = "---\ntitle: P\nseverity: major_outage\naffected: [messagerie]\nstarted_at: 2026-09-10T10:00:00\n---\n"
        let santiago = SiteFixture.siteYAML.replacingOccurrences(of: "timezone: Europe/Brussels", with: "timezone: America/Santiago")
        let (_, diagnostics) = SiteFixture(["content/site.yaml": santiago, "content/incidents/i.md": incident]).generate()
        XCTAssertEqual(diagnostics.first { $0.severity == .error }?.hint,
                       "add the offset from UTC: 2026-09-10T10:00:00-03:00 in the site's time zone (America/Santiago) on that day, or Z for UTC")
    }

    /// A base URL links cannot use as written is refused, saying why (a query, fragment
    /// or user was dropped silently, `%2F` became a real `/`); an empty language list too
    /// (it fell back to French without a word).
    func testBaseURLAndLanguagesSayWhatIsWrong() {
        for (url, problem) in [
            ("https://s.example.org/?q=1", "may not have a query (?…) or a fragment (#…)"),
            ("https://s.example.org/#top", "may not have a query (?…) or a fragment (#…)"),
            ("https://u:p@s.example.org/", "may not name a user or password"),
            ("https://s.example.org/a%2Fb/", "may not hold spaces or percent-escapes (%…)"),
            ("ftp://s.example.org/", "must be an absolute http(s) URL"),
        ] {
            let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "base_url: https://status.example.org/", with: "base_url: \"\(url)\"")
            let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate()
            XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.message), ["`base_url` \(problem), found `\(url)`"], url)
        }
        let languages = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: []")
        XCTAssertEqual(SiteFixture(["content/site.yaml": languages]).generate().1.filter { $0.severity == .error }.map(\.message), ["`languages` is empty"])
    }

    /// A page named like the site's own outputs is one error, not also three "unknown
    /// field" warnings for its page fields.
    func testAReservedPageNameIsOneError() {
        let (_, diagnostics) = SiteFixture(["content/pages/api.md": "---\ntitle: API\nsummary: Nos API.\nweight: 3\n---\nTexte.\n"]).generate()
        XCTAssertEqual(diagnostics.lines.filter { $0.contains("pages/api.md") }, [
            "content/pages/api.md:1:1: error: `api` cannot be a page name: it is reserved for the site's own pages and files",
        ])
    }

    /// One error per wrong target: the sheet and pack that name the level do not also say
    /// it is "not defined".
    func testServiceLevelTargetsMustBeInRange() {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "target: 99.5", with: "target: 120")
            .replacingOccurrences(of: "target: 99.9", with: "target: 150")
        let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.message), [
            "service level `critical`: `target` must be a percentage above 0 and at most 100, found 150",
            "service level `standard`: `target` must be a percentage above 0 and at most 100, found 120",
        ])
    }

    /// A `manager` written as a list is one error at it, not also "no manager".
    func testAManagerOfTheWrongShapeIsNotAlsoMissing() {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "manager: {name: Ann Example, email: ann@example.org, phone: \"+32 2 000 00 01\"}",
                                                               with: "manager: [Ann Example, ann@example.org]")
        let (_, diagnostics) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        let about = diagnostics.filter { $0.message.contains("manager") }
        XCTAssertEqual(about.count, 1, "\(diagnostics.lines)")
        XCTAssertEqual(about.first?.severity, .error, "\(diagnostics.lines)")
        XCTAssertEqual(about.first?.location?.line, 7, "\(diagnostics.lines)")
    }

    func testTranslationWithoutOriginal() {
        let (_, diagnostics) = SiteFixture(["content/pages/only.nl.md": "---\ntitle: Alleen\n---\n"]).generate()
        XCTAssertTrue(diagnostics.lines.contains("content/pages/only.nl.md:1:1: error: this translation has no page in the default language (`only.md`)"), "\(diagnostics.lines)")
    }

    func testUnsafeIDsFromFileNames() {
        let (_, diagnostics) = SiteFixture(["content/services/Mail Box.md": SiteFixture.mailSheet]).generate()
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("`Mail Box` is not a valid id") })
    }
}

extension Diagnostic {
    var lines: String { [self].lines[0] }
}
