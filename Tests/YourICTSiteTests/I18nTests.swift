import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTSite

/// Four languages: paths, `lang`, switcher targets, alternates, fallback, formats.
final class I18nTests: XCTestCase {
    static func fixture() -> SiteFixture {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [fr, nl, de, en]")
        return SiteFixture([
            "content/site.yaml": yaml,
            "content/services/messagerie.en.md": "---\ntitle: Email\nsummary: Staff email.\n---\n## Features\n\nSee [support](../pages/support.md#helpdesk).\n",
            "content/monitoring/p.json": MonitoringTests.prometheus(MonitoringTests.minutes(30 * 1440) { (1000..<1043).contains($0) }),
        ])
    }

    private func site() throws -> GeneratedSite {
        let (site, diagnostics) = Self.fixture().generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        return try XCTUnwrap(site)
    }

    /// site.yaml texts written per language but without one of the site's languages show
    /// another language's text in mid-page: each is a warning at its mapping.
    func testSiteTextsWithoutALanguageOfTheSiteAreWarnings() {
        let (_, diagnostics) = Self.fixture().generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let lines = diagnostics.filter { $0.message.contains("has no text for") }.lines
        XCTAssertTrue(lines.contains("content/site.yaml:1:8: warning: `title` has no text for de, en: those pages show the `fr` one"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("content/site.yaml:6:25: warning: `name` has no text for de, en") }, "\(lines)")
        // A single text is for every language: no warning.
        let (_, two) = SiteFixture().generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(two.filter { $0.message.contains("has no text for") }.lines, [])
    }

    /// The chooser names the site once per distinct title, each in its real language (de
    /// and en have no title of their own here: they show the French one, marked French),
    /// and its tab says what to do rather than the title twice.
    /// Interface strings given as a list are an error (every label was empty, with only
    /// "missing" warnings), and an empty one a warning (a menu link with no name).
    func testInterfaceStringsOfTheWrongShapeOrEmptyAreTold() throws {
        let nl = try String(contentsOf: SiteFixture.repositoryRoot.appendingPathComponent("templates/i18n/nl.yaml"), encoding: .utf8)
        let empty = nl.replacingOccurrences(of: "  nav_dashboard: Status van de diensten\n", with: "  nav_dashboard:\n")
        XCTAssertNotEqual(empty, nl)
        let (_, warned) = SiteFixture(["templates/i18n/nl.yaml": empty]).generate()
        XCTAssertEqual(warned.filter { $0.message.contains("is empty") }.lines, ["templates/i18n/nl.yaml:21:3: warning: interface string `nav_dashboard` is empty"])
        let list = String(nl[..<nl.range(of: "strings:\n")!.upperBound]) + "  - 1\n  - 2\n"
        let (_, refused) = SiteFixture(["templates/i18n/nl.yaml": list]).generate()
        XCTAssertEqual(refused.filter { $0.severity == .error }.map(\.message), ["`strings` must map each key to its text (key: text)"])
    }

    func testTheLanguageChooserMarksFallbackTitlesAndSaysWhatToDo() throws {
        let root = try XCTUnwrap(try site().text("index.html"))
        XCTAssertContains(root, "<title>Choisir la langue / Kies uw taal / Sprache wählen / Choose your language · Catalogue test</title>")
        XCTAssertContains(root, "<h1><span lang=\"fr\">Catalogue test</span><br><span lang=\"nl\">Testcatalogus</span></h1>")
        XCTAssertContains(root, "<li lang=\"de\"><a href=\"/de/\" hreflang=\"de\"><span class=\"choice-name\">Deutsch</span> <span class=\"choice-title\" lang=\"fr\">Catalogue test</span>")
        XCTAssertContains(root, "<li lang=\"nl\"><a href=\"/nl/\" hreflang=\"nl\"><span class=\"choice-name\">Nederlands</span> <span class=\"choice-title\">Testcatalogus</span>")
    }

    func testEveryLanguageHasItsPagesWithLangAndAlternates() throws {
        let s = try site()
        for lang in ["fr", "nl", "de", "en"] {
            let page = try XCTUnwrap(s.text("\(lang)/services/messagerie/index.html"), lang)
            XCTAssertContains(page, "<html lang=\"\(lang)\"")
            for other in ["fr", "nl", "de", "en"] {
                XCTAssertContains(page, "<link rel=\"alternate\" hreflang=\"\(other)\" href=\"https://status.example.org/\(other)/services/messagerie/\">")
                // The switcher links to the same page, each name in its own language.
                XCTAssertContains(page, "href=\"/\(other)/services/messagerie/\" lang=\"\(other)\" hreflang=\"\(other)\"")
            }
            XCTAssertContains(page, "hreflang=\"x-default\" href=\"https://status.example.org/fr/services/messagerie/\"")
        }
        XCTAssertContains(s.text("en/services/messagerie/index.html"), ">Deutsch</a>")
        XCTAssertContains(s.text("de/services/messagerie/index.html"), ">English</a>")
        XCTAssertContains(s.text("sitemap.xml"), "<xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://status.example.org/de/services/messagerie/\"/>")
    }

    func testTranslatedAndFallbackContent() throws {
        let s = try site()
        let en = try XCTUnwrap(s.text("en/services/messagerie/index.html"))
        XCTAssertContains(en, "<h1>Email</h1>")
        XCTAssertNotContains(en, "fallback-notice")
        XCTAssertContains(en, "<h2 id=\"features\">")
        let de = try XCTUnwrap(s.text("de/services/messagerie/index.html"))
        XCTAssertContains(de, "<h1 lang=\"fr\">Messagerie</h1>")
        XCTAssertContains(de, "Diese Seite ist noch nicht übersetzt")
    }

    /// A sheet without a translation lends its keywords to the other catalogues: on a
    /// Dutch page they are French words, marked so (chips, a tag page's heading and
    /// filter line) — and so are such a sheet's title and summary in the search index,
    /// which the theme's script puts on the page. A translation that leaves its keywords
    /// or components to the original shows them marked as the original's language.
    func testKeywordsAndSearchEntriesOfAnUntranslatedSheetAreMarked() throws {
        let fixture = SiteFixture([
            "content/services/annuaire.md": "---\ntitle: Annuaire\nsummary: Comptes et groupes.\ncategory: communication\ndelivery: SaaS\nservice_level: standard\nmanager: {name: Jean, email: jean@example.org}\ntags: [Télétravail]\n---\nTexte.\n",
            "content/services/messagerie.nl.md": "---\ntitle: E-mail\nsummary: Post.\ntags: [agenda, mobiel]\n---\nTekst.\n",
            // A translation of the title and summary only: its keywords and components are the original's.
            "content/services/visio.md": "---\ntitle: Visioconférence\nsummary: Réunions.\ncategory: communication\ndelivery: SaaS\nservice_level: standard\nmanager: {name: Jean, email: jean@example.org}\ntags: [réunions]\ncomponents:\n  - {id: salles, name: Salles virtuelles}\n---\nTexte.\n",
            "content/services/visio.nl.md": "---\ntitle: Videoconferentie\nsummary: Vergaderingen.\n---\nTekst.\n",
        ])
        let (built, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let s = try XCTUnwrap(built)
        let nl = try XCTUnwrap(s.text("nl/catalogue/index.html"))
        XCTAssertContains(nl, "href=\"/nl/catalogue/tag/teletravail/\"><span lang=\"fr\">Télétravail</span> <span class=\"count\">(1)</span>")
        XCTAssertContains(nl, "href=\"/nl/catalogue/tag/agenda/\">agenda <span class=\"count\">(1)</span>")
        XCTAssertContains(nl, "href=\"/nl/catalogue/tag/mobiel/\">mobiel <span")
        XCTAssertContains(nl, "href=\"/nl/catalogue/tag/reunions/\"><span lang=\"fr\">réunions</span> <span")
        let visio = try XCTUnwrap(s.text("nl/services/visio/index.html"))
        XCTAssertContains(visio, "<h1>Videoconferentie</h1>")
        XCTAssertContains(visio, "<th scope=\"row\" lang=\"fr\">Salles virtuelles</th>")
        XCTAssertContains(s.text("fr/services/visio/index.html"), "<th scope=\"row\">Salles virtuelles</th>")
        let tagPage = try XCTUnwrap(s.text("nl/catalogue/tag/teletravail/index.html"))
        XCTAssertContains(tagPage, "<h1>Dienstencatalogus — <span lang=\"fr\">Télétravail</span></h1>")
        XCTAssertContains(tagPage, "<strong>Trefwoorden — <span lang=\"fr\">Télétravail</span></strong>")
        XCTAssertContains(s.text("nl/catalogue/tag/mobiel/index.html"), "<h1>Dienstencatalogus — mobiel</h1>")
        // In French nothing is marked.
        XCTAssertContains(s.text("fr/catalogue/index.html"), "href=\"/fr/catalogue/tag/teletravail/\">Télétravail <span")

        let entries = try SearchTests.entries(s, "nl")
        let annuaire = try XCTUnwrap(entries.first { $0["url"] as? String == "/nl/services/annuaire/" })
        XCTAssertEqual(annuaire["lang"] as? String, "fr")
        let mail = try XCTUnwrap(entries.first { $0["url"] as? String == "/nl/services/messagerie/" })
        XCTAssertNil(mail["lang"])
        XCTAssertNil(try XCTUnwrap(entries.first { $0["url"] as? String == "/nl/services/visio/" })["lang"])
        XCTAssertTrue(try SearchTests.entries(s, "fr").allSatisfy { $0["lang"] == nil })
    }

    func testNumbersAndDatesPerLocale() throws {
        let s = try site()
        XCTAssertContains(s.text("fr/index.html"), "99,90\u{202F}%")
        XCTAssertContains(s.text("nl/index.html"), "99,90\u{A0}%")
        XCTAssertContains(s.text("de/index.html"), "99,90\u{A0}%")
        XCTAssertContains(s.text("en/index.html"), "99.90%")
        XCTAssertContains(s.text("fr/index.html"), "31 octobre 2026 à 01:00 (UTC+01:00)")
        XCTAssertContains(s.text("nl/index.html"), "31 oktober 2026 om 01:00 (UTC+01:00)")
        XCTAssertContains(s.text("de/index.html"), "31. Oktober 2026, 01:00 Uhr (UTC+01:00)")
        XCTAssertContains(s.text("en/index.html"), "31 October 2026, 01:00 (UTC+01:00)")
    }

    func testLocaleFormatting() {
        var fr = LocaleFormat()
        fr.decimalSeparator = ","
        fr.percentPattern = "{n}\u{202F}%"
        XCTAssertEqual(fr.availability(99.8996), "99,89\u{202F}%", "rounded down, never up")
        XCTAssertEqual(fr.availability(100), "100,00\u{202F}%")
        XCTAssertEqual(fr.target(99.9), "99,9\u{202F}%")
        XCTAssertEqual(LocaleFormat().target(99.5), "99.5%")
        XCTAssertEqual(LocaleFormat().duration(Duration.minutes(88)), "1 h 28 min")
        XCTAssertEqual(LocaleFormat().duration(Duration(millis: 1)), "1 min", "a short outage never shows as none")
        XCTAssertEqual(LocaleFormat().duration(Duration.minutes(43) + Duration.seconds(12), roundingUp: false), "43 min")
        XCTAssertEqual(LocaleFormat().duration(Duration.days(2) + Duration.hours(3)), "2 d 3 h")
        // A day or more keeps its minutes, rounded up like the rest: never shorter than it was.
        XCTAssertEqual(LocaleFormat().duration(Duration.days(1) + Duration.hours(2) + Duration.minutes(59)), "1 d 2 h 59 min")
        XCTAssertEqual(LocaleFormat().duration(Duration.days(1) + Duration.seconds(30)), "1 d 1 min")
        XCTAssertEqual(LocaleFormat().duration(Duration.minutes(1664) + Duration.seconds(1), roundingUp: false), "1 d 3 h 44 min")
        XCTAssertEqual(LocaleFormat().duration(Duration(millis: 0)), "0 min")
        XCTAssertEqual(fr.minutes(43.2, roundingUp: false), "43,2 min")
        XCTAssertEqual(fr.minutes(43.21, roundingUp: true), "43,3 min")
        fr.datePattern = "le {d} {month} {yyyy} ({dd}/{yyyy})"
        XCTAssertEqual(fr.date(CivilDate(year: 2026, month: 3, day: 7)), "le 7 March 2026 (07/2026)")
    }

    func testReplacingEveryOccurrence() {
        XCTAssertEqual("a.b.c".replacingEvery(".", with: ","), "a,b,c")
        XCTAssertEqual("{n}{n} %".replacingEvery("{n}", with: "99,9"), "99,999,9 %")
        XCTAssertEqual("{n".replacingEvery("{n}", with: "x"), "{n")
        XCTAssertEqual("é{n}é".replacingEvery("{n}", with: "\u{202F}"), "é\u{202F}é")
        XCTAssertEqual("aaa".replacingEvery("aa", with: "b"), "ba", "left to right, without overlaps")
        XCTAssertEqual("abc".replacingEvery("", with: "x"), "abc")
        XCTAssertEqual("".replacingEvery("a", with: "x"), "")
        XCTAssertEqual("xyz".replacingEvery("xyz", with: ""), "")
    }

    func testContainsBytes() {
        XCTAssertTrue("<sup id=\"fn-1\">".containsBytes("id=\"fn-"))
        XCTAssertTrue("abc".containsBytes("abc"))
        XCTAssertTrue("abc".containsBytes("c"))
        XCTAssertTrue("abc".containsBytes(""))
        XCTAssertFalse("ab".containsBytes("abc"))
        XCTAssertFalse("aab".containsBytes("abb"))
        XCTAssertTrue("aaab".containsBytes("aab"), "a partial match does not hide the next one")
        XCTAssertTrue("é data-footnote-backref".containsBytes("data-footnote-backref"))
        XCTAssertFalse("".containsBytes("a"))
    }

    func testRootChooserNamesEachLanguageInItself() throws {
        let root = try XCTUnwrap(site().text("index.html"))
        for (lang, name) in [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English")] {
            XCTAssertContains(root, "<a href=\"/\(lang)/\" hreflang=\"\(lang)\"")
            XCTAssertContains(root, name)
        }
        XCTAssertNotContains(root, "<script src=\"/__yourict")
    }

    /// A regional code with no file of its own reads its language's; a first language with
    /// no strings at all is one error (its pages would have no labels), not a page of
    /// "prints nothing" warnings and a site of blank labels.
    func testRegionalLanguageReadsItsLanguagesStringsAndAMissingFirstLanguageIsAnError() throws {
        var fixture = SiteFixture()
        fixture.files["content/site.yaml"] = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [fr-BE, nl]")
            .replacingOccurrences(of: "{fr: ", with: "{fr-BE: ").replacingOccurrences(of: ", fr: ", with: ", fr-BE: ")
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.message.contains("interface string") }.lines, [])
        let page = try XCTUnwrap(site?.text("fr-BE/index.html"), diagnostics.lines.joined(separator: "\n"))
        XCTAssertContains(page, ">Catalogue</a>")
        XCTAssertContains(page, "<html lang=\"fr-BE\"")

        fixture.files["content/site.yaml"] = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [es, nl]")
            .replacingOccurrences(of: "{fr: ", with: "{es: ").replacingOccurrences(of: ", fr: ", with: ", es: ")
        let (missing, problems) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertNil(missing)
        XCTAssertEqual(problems.filter { $0.severity == .error }.lines,
                       ["templates/i18n/es.yaml:1:1: error: no interface strings for `es`, the site's first language: templates/i18n/es.yaml is missing"])
        XCTAssertEqual(problems.filter { $0.message.contains("prints nothing") }.count, 0)
    }

    /// An interface-strings file that is empty (or only comments) was skipped without a
    /// word: French pages showed English dates and raw keys, Dutch ones the French strings.
    /// It is as if missing, and said so.
    func testAnEmptyInterfaceStringsFileIsAsIfMissing() throws {
        var fixture = SiteFixture()
        fixture.files["templates/i18n/nl.yaml"] = "# vertalingen volgen\n"
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertNotNil(site)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("no interface strings") }.lines,
                       ["templates/i18n/nl.yaml:1:1: warning: no interface strings for `nl`: templates/i18n/nl.yaml is empty"])
        fixture.files["templates/i18n/fr.yaml"] = ""
        let (none, problems) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertNil(none)
        XCTAssertEqual(problems.filter { $0.severity == .error }.lines,
                       ["templates/i18n/fr.yaml:1:1: error: no interface strings for `fr`, the site's first language: templates/i18n/fr.yaml is empty"])
    }

    /// Text lent by another language is marked with it wherever it shows: the menu's page
    /// titles, the dashboard's introduction, the monthly report's service name; and the
    /// labels the Markdown stage writes into a lent body are in the body's language.
    func testLentTextIsMarkedWithItsLanguage() throws {
        var fixture = Self.fixture()
        fixture.files["content/pages/support.md"] = "---\ntitle: Support général\n---\n## Helpdesk\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Du lundi au vendredi.\n"
        fixture.files["content/pages/introduction.md"] = "---\ntitle: Introduction\nsummary: Ce que propose le catalogue.\n---\nTexte.\n"
        fixture.files["content/pages/introduction.en.md"] = "---\ntitle: Introduction\nsummary: What the catalogue offers.\n---\nText.\n"
        let (built, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let site = try XCTUnwrap(built, diagnostics.filter { $0.severity == .error }.lines.joined(separator: "\n"))

        let de = try XCTUnwrap(site.text("de/index.html"))
        XCTAssertContains(de, "<li><a href=\"/de/support/\" lang=\"fr\">Support général</a></li>")
        XCTAssertContains(de, "<h2 id=\"intro-title\" lang=\"fr\">Introduction</h2>\n<p lang=\"fr\">Ce que propose le catalogue.</p>")
        let en = try XCTUnwrap(site.text("en/index.html"))
        XCTAssertContains(en, "<h2 id=\"intro-title\">Introduction</h2>\n<p>What the catalogue offers.</p>")
        XCTAssertContains(en, "<li><a href=\"/en/support/\" lang=\"fr\">Support général</a></li>")
        let fr = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertContains(fr, "<li><a href=\"/fr/support/\">Support général</a></li>")

        let report = try XCTUnwrap(site.files.first { $0.path.hasPrefix("nl/services/messagerie/sla/") }.flatMap { site.text($0.path) })
        XCTAssertContains(report, "<h1><span lang=\"fr\">Messagerie</span> — ")
        XCTAssertContains(report, "<a href=\"/nl/services/messagerie/\" lang=\"fr\">Messagerie</a>")
        let ownReport = try XCTUnwrap(site.files.first { $0.path.hasPrefix("en/services/messagerie/sla/") }.flatMap { site.text($0.path) })
        XCTAssertContains(ownReport, "<h1>Email — ")

        let page = try XCTUnwrap(site.text("nl/support/index.html"))
        XCTAssertContains(page, "aria-label=\"Tableau\"")
        XCTAssertContains(page, "aria-label=\"Retour au texte\"")
        XCTAssertNotContains(page, "aria-label=\"Tabel\"")
    }

    /// A translation that names the packs and options but lends their descriptions and
    /// lists: each lent text carries the original's language; none given, all of them.
    func testLentPackAndOptionTextIsMarked() throws {
        let nl = "---\ntitle: E-mail\npacks:\n  - {id: standard, name: Standaardpakket}\n  - {id: plus, name: Pluspakket, includes: [100 GB]}\noptions:\n  - {id: archive, name: Archivering}\n---\n"
        let (built, diagnostics) = SiteFixture(["content/services/messagerie.nl.md": nl]).generate()
        let site = try XCTUnwrap(built, diagnostics.filter { $0.severity == .error }.lines.joined(separator: "\n"))
        let page = try XCTUnwrap(site.text("nl/services/messagerie/index.html"))
        XCTAssertContains(page, "<h3 id=\"pack_standard\">Standaardpakket</h3>\n<p lang=\"fr\">La boîte de base.</p>\n<ul class=\"checklist\" lang=\"fr\"><li>50 Go</li>")
        XCTAssertContains(page, "<h3 id=\"pack_plus\">Pluspakket</h3>\n\n<ul class=\"checklist\"><li>100 GB</li>")
        XCTAssertContains(page, "<tr><th scope=\"row\">Archivering</th><td lang=\"fr\">Conservation légale.</td></tr>")
        XCTAssertContains(page, "<td>Standaardpakket</td>")

        let (bare, _) = SiteFixture(["content/services/messagerie.nl.md": "---\ntitle: E-mail\n---\n"]).generate()
        let lent = try XCTUnwrap(bare?.text("nl/services/messagerie/index.html"))
        XCTAssertContains(lent, "<h3 id=\"pack_standard\" lang=\"fr\">Pack standard</h3>\n<p lang=\"fr\">La boîte de base.</p>")
        XCTAssertContains(lent, "<tr><th scope=\"row\" lang=\"fr\">Archivage</th><td lang=\"fr\">Conservation légale.</td></tr>")
        XCTAssertContains(lent, "<td lang=\"fr\">Pack standard</td>")
        // The page in the sheet's own language marks nothing.
        XCTAssertContains(bare?.text("fr/services/messagerie/index.html"), "<h3 id=\"pack_standard\">Pack standard</h3>\n<p>La boîte de base.</p>")
    }

    /// A level's name from site.yaml without this language shows another's, marked with it;
    /// a text written once for every language is no one's and is not marked.
    func testALevelNameLentBySiteYAMLIsMarked() throws {
        let (built, _) = Self.fixture().generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let site = try XCTUnwrap(built)
        let de = try XCTUnwrap(site.text("de/services/messagerie/index.html"))
        XCTAssertContains(de, "<div><dt>Service-Level</dt><dd><span lang=\"fr\">Critique</span> — 99,9\u{00A0}%, 24h/24</dd></div>")
        XCTAssertContains(de, "<tr><th scope=\"row\" lang=\"fr\">Critique</th>")
        let nl = try XCTUnwrap(site.text("nl/services/messagerie/index.html"))
        XCTAssertContains(nl, "<dd>Kritiek — 99,9\u{00A0}%, 24h/24</dd>")
    }

    /// Every other text of site.yaml lent to a page in another language is marked with
    /// its own (WCAG 3.1.2): the title, the organisation, the notice, a category's name
    /// and description, the helpdesk's hours, the on-call text, an escalation step's role.
    func testSiteTextsLentBySiteYAMLAreMarked() throws {
        let yaml = SiteFixture.siteYAML
            .replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [fr, nl, de]")
            .replacingOccurrences(of: "communication: {name: {fr: Communication, nl: Communicatie}}",
                                  with: "communication: {name: {fr: Communication, nl: Communicatie}, description: {fr: Parler et écrire., nl: Spreken en schrijven.}}")
            + "organisation: {name: {fr: Service ICT, nl: ICT-dienst}}\nnotice: {fr: Site de démonstration., nl: Demonstratiesite.}\n"
            + "support:\n  helpdesk_hours: {fr: de 8h à 18h, nl: van 8 tot 18 uur}\n  on_call: {fr: Permanence la nuit., nl: Permanentie 's nachts.}\n"
            + "  escalation:\n    - {role: {fr: Responsable du service, nl: Dienstverantwoordelijke}, contact: servicedesk}\n"
        let (built, _) = SiteFixture(["content/site.yaml": yaml]).generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let site = try XCTUnwrap(built)
        let de = try XCTUnwrap(site.text("de/catalogue/index.html"))
        XCTAssertContains(de, "<p class=\"wrap\" lang=\"fr\">Site de démonstration.</p>")
        XCTAssertContains(de, "<span class=\"brand-title\" lang=\"fr\">Catalogue test</span><span class=\"brand-org\" lang=\"fr\">Service ICT</span>")
        XCTAssertContains(de, "<h2 id=\"cat_communication\" lang=\"fr\">Communication")
        XCTAssertContains(de, "<p class=\"measure\" lang=\"fr\">Parler et écrire.</p>")
        XCTAssertContains(de, "<br><span lang=\"fr\">de 8h à 18h</span>")
        XCTAssertContains(de, "<p class=\"on-call\" lang=\"fr\">Permanence la nuit.</p>")
        XCTAssertContains(de, "<li><span lang=\"fr\">Responsable du service</span>")
        // The contact's name is written once for every language: no one's, not marked.
        XCTAssertContains(de, "<p><strong>Helpdesk</strong>")
        let sheet = try XCTUnwrap(site.text("de/services/messagerie/index.html"))
        XCTAssertContains(sheet, "<dd lang=\"fr\">Communication</dd>")
        // In a language site.yaml has, nothing is marked.
        let nl = try XCTUnwrap(site.text("nl/catalogue/index.html"))
        XCTAssertContains(nl, "<p class=\"wrap\">Demonstratiesite.</p>")
        XCTAssertContains(nl, "<h2 id=\"cat_communication\">Communicatie")
        XCTAssertContains(nl, "<li>Dienstverantwoordelijke")
    }

    func testMissingInterfaceStringIsAWarningNamingKeyAndLanguage() throws {
        var fixture = Self.fixture()
        let nl = String(decoding: SiteFixture.theme["templates/i18n/nl.yaml"]!, as: UTF8.self)
        fixture.files["templates/i18n/nl.yaml"] = nl.replacingOccurrences(of: "  nav_catalogue: Catalogus\n", with: "")
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertTrue(diagnostics.lines.contains("templates/i18n/nl.yaml:1:1: warning: interface string `nav_catalogue` is missing in `nl`"), "\(diagnostics.lines)")
        // Until translated, the default language's text is shown.
        XCTAssertContains(site?.text("nl/index.html"), ">Catalogue</a>")
    }
}
