import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTSite

/// Issue 24, part 4: the rough edges a first use meets. Small sites in memory, time pinned.
final class RoughEdgesTests: XCTestCase {
    /// 10,000 keywords on one sheet ran for an hour and wrote 23 GB: each keyword is a
    /// catalogue page listing every other (an audit's finding). 50 per sheet and 500
    /// distinct ones per language, each an error where it is written.
    func testKeywordsAreBoundedPerSheetAndPerLanguage() {
        func sheet(_ tags: [String]) -> String {
            SiteFixture.mailSheet.replacingOccurrences(of: "delivery: SaaS", with: "delivery: SaaS\ntags: [\(tags.joined(separator: ", "))]")
        }
        let (_, many) = SiteFixture(["content/services/messagerie.md": sheet((0...50).map { "t\($0)" })]).generate()
        XCTAssertEqual(many.filter { $0.severity == .error }.lines, ["content/services/messagerie.md:6:1: error: 51 keywords: a service has at most 50"])
        XCTAssertEqual(SiteFixture(["content/services/messagerie.md": sheet((0..<50).map { "t\($0)" })]).generate().1.filter { $0.severity == .error }.lines, [])
        var files: [String: String] = [:]
        for i in 0..<11 {
            files["content/services/s\(i).md"] = sheet((0..<50).map { "t\(i * 50 + $0)" }).replacingOccurrences(of: "title: Messagerie", with: "title: S\(i)")
        }
        let (_, distinct) = SiteFixture(files).generate()
        XCTAssertEqual(distinct.filter { $0.severity == .error }.lines, [
            "content/services/s9.md:1:1: error: more than 500 distinct keywords in `fr`: `t450`, here, is one too many",
            "content/services/s9.md:1:1: error: more than 500 distinct keywords in `nl`: `t450`, here, is one too many",
        ])
    }

    static var french: LocaleFormat {
        var fr = LocaleFormat()
        fr.decimalSeparator = ","
        fr.groupSeparator = "\u{202F}"
        fr.datePattern = "{d} {month} {yyyy}"
        fr.dateTimePattern = "{date} à {time} ({offset})"
        fr.months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        fr.daysAbbreviation = "j"
        return fr
    }

    static let brussels = ZonedCalendar(timeZone: TimeZone(identifier: "Europe/Brussels")!)

    // MARK: A level whose name holds its target

    func testALevelNameHoldingItsTargetIsRecognisedInEitherNotation() {
        XCTAssertTrue(ViewBuilder.nameHoldsTarget("Non critique (99,7 %)", 99.7))
        XCTAssertTrue(ViewBuilder.nameHoldsTarget("Gold 99.9", 99.9))
        XCTAssertTrue(ViewBuilder.nameHoldsTarget("Bronze (99.50 %)", 99.5))
        XCTAssertFalse(ViewBuilder.nameHoldsTarget("Critique", 99.9))
        XCTAssertFalse(ViewBuilder.nameHoldsTarget("Gold 99.95", 99.9))
        XCTAssertFalse(ViewBuilder.nameHoldsTarget("Tier 199.9", 99.9))
    }

    func testALevelNameHoldingItsTargetIsNotFollowedByItAgain() throws {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "standard: {name: {fr: Standard, nl: Standaard}", with: "standard: {name: {fr: \"Non critique (99,5 %)\", nl: \"Niet-kritiek (99,5 %)\"}")
        let (site, _) = try CurrentStateTests.build(ModelTests.files([
            "content/site.yaml": yaml, "content/services/fax.md": ModelTests.sheet("Fax"),
        ]), now: ModelTests.now)
        XCTAssertContains(site.text("fr/services/fax/index.html"), "<div><dt>Niveau de service</dt><dd>Non critique (99,5 %), 24h/24</dd></div>")
        XCTAssertContains(site.text("fr/catalogue/index.html"), "<div><dt>Niveau de service</dt><dd>Non critique (99,5 %)</dd></div>")
        // A name without its target still gets it.
        XCTAssertContains(site.text("fr/catalogue/index.html"), "<div><dt>Niveau de service</dt><dd>Critique · 99,9\u{202F}%</dd></div>")
    }

    // MARK: A same-day range

    func testASameDayRangeSaysItsDateAndOffsetOnce() {
        let range = Self.french.dateTimeRange(CurrentStateTests.t("2026-12-05T05:00:00Z"), CurrentStateTests.t("2026-12-05T07:00:00Z"), calendar: Self.brussels)
        XCTAssertEqual("\(range.start) – \(range.end)", "5 décembre 2026 à 06:00 – 08:00 (UTC+01:00)")
        var german = Self.french
        german.dateTimePattern = "{date}, {time} Uhr ({offset})"
        let de = german.dateTimeRange(CurrentStateTests.t("2026-12-05T05:00:00Z"), CurrentStateTests.t("2026-12-05T07:00:00Z"), calendar: Self.brussels)
        XCTAssertEqual("\(de.start) – \(de.end)", "5 décembre 2026, 06:00 – 08:00 Uhr (UTC+01:00)")
    }

    func testARangeOverTwoDaysOrTwoOffsetsIsWrittenInFull() {
        let days = Self.french.dateTimeRange(CurrentStateTests.t("2026-12-05T22:00:00Z"), CurrentStateTests.t("2026-12-05T23:30:00Z"), calendar: Self.brussels)
        XCTAssertEqual("\(days.start) – \(days.end)", "5 décembre 2026 à 23:00 (UTC+01:00) – 6 décembre 2026 à 00:30 (UTC+01:00)")
        // 25 October 2026: the clocks go back at 03:00 CEST.
        let offsets = Self.french.dateTimeRange(CurrentStateTests.t("2026-10-25T00:00:00Z"), CurrentStateTests.t("2026-10-25T02:00:00Z"), calendar: Self.brussels)
        XCTAssertEqual("\(offsets.start) – \(offsets.end)", "25 octobre 2026 à 02:00 (UTC+02:00) – 25 octobre 2026 à 03:00 (UTC+01:00)")
    }

    func testAnIncidentCardGivesASameDayRangeShort() throws {
        let (site, _) = try CurrentStateTests.build(ModelTests.files([
            "content/incidents/panne.md": "---\ntitle: Panne\nseverity: major_outage\naffected: [messagerie/webmail]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 2026-10-20T10:45:00Z\n---\n",
        ]), now: ModelTests.now)
        XCTAssertContains(site.text("fr/incidents/index.html"),
                          "<span class=\"when\"><time datetime=\"2026-10-20T10:00:00Z\">20 octobre 2026 à 12:00</time> – <time datetime=\"2026-10-20T10:45:00Z\">12:45 (UTC+02:00)</time> <span class=\"duration\">(45 min)</span></span>")
        // The incident's own page gives each end in full, under its own label.
        XCTAssertContains(site.text("fr/incidents/panne/index.html"), "<time datetime=\"2026-10-20T10:45:00Z\">20 octobre 2026 à 12:45 (UTC+02:00)</time>")
    }

    // MARK: An overrun error budget

    func testAnOverrunErrorBudgetSaysHowFarPastItWent() throws {
        // 45 minutes down against 43.2 allowed (99.9 % of 30 days): 104 % of the budget.
        let site = try SLAOverviewTests.site()
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, "<meter id=\"budget-meter\" min=\"0\" max=\"100\" low=\"75\" high=\"99\" optimum=\"0\" value=\"100\">104\u{202F}%</meter> <span>104\u{202F}%</span>")
        XCTAssertContains(page, "<div><dt>Dépassement</dt><dd class=\"verdict-breached\">1,8 min</dd></div>\n</dl>")
    }

    /// The budget used to the minute is not overrun: 43.2 of 43.2 minutes beside "target
    /// met" leaves 0.0, not "overrun 0.0"; and short of it the meter is not yet full.
    func testABudgetUsedExactlyIsNotOverrun() throws {
        func page(downUntil end: String) throws -> String {
            let runs = #"[["2026-10-01T00:00:00Z","2026-10-20T10:00:00Z","up"],["2026-10-20T10:00:00Z","\#(end)","down"],["\#(end)","2026-10-31T00:00:00Z","up"]]"#
            let own = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "runs": \#(runs)}]}"#
            let (site, _) = try CurrentStateTests.build(["content/monitoring/own.json": own], now: "2026-10-31T00:00:00Z")
            return try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        }
        let exact = try page(downUntil: "2026-10-20T10:43:12Z")
        XCTAssertContains(exact, "objectif atteint")
        XCTAssertContains(exact, "<div><dt>Marge restante</dt><dd>0,0 min</dd></div>")
        XCTAssertNotContains(exact, "Dépassement")
        XCTAssertContains(exact, "value=\"100\">100\u{202F}%</meter>")
        let almost = try page(downUntil: "2026-10-20T10:43:00Z")
        XCTAssertContains(almost, "<div><dt>Marge restante</dt><dd>0,2 min</dd></div>")
        XCTAssertContains(almost, "value=\"99\">99\u{202F}%</meter>")
        // A second past it is past: not "100 %", which reads as used exactly.
        let past = try page(downUntil: "2026-10-20T10:43:13Z")
        XCTAssertContains(past, "value=\"100\">101\u{202F}%</meter>")
        XCTAssertContains(past, "<div><dt>Dépassement</dt><dd class=\"verdict-breached\">0,1 min</dd></div>")
    }

    /// A 100 % target allows nothing: overrun, it read "101 %" of the budget; a target of
    /// 99.99999999 % read "2037038316 %" (an audit's finding). Past 999 %, "> 999 %".
    func testABudgetOfNothingOverrunIsPastAnyPercentage() throws {
        var fixture = SLAOverviewTests.fixture()
        fixture.files["content/site.yaml"] = SiteFixture.siteYAML.replacingOccurrences(of: "target: 99.9,", with: "target: 100,")
        let page = try XCTUnwrap(try SLAOverviewTests.site(fixture).text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, "value=\"100\">&gt; 999\u{202F}%</meter> <span>&gt; 999\u{202F}%</span>")
        fixture.files["content/site.yaml"] = SiteFixture.siteYAML.replacingOccurrences(of: "target: 99.9,", with: "target: 99.99999999,")
        XCTAssertContains(try SLAOverviewTests.site(fixture).text("fr/services/messagerie/index.html"), "<span>&gt; 999\u{202F}%</span>")
    }

    /// 9999-12-31T23:59:59Z is the year 10000 in Brussels: `--now` or `reference_time`
    /// there wrote folders `sla/10000-01` and API times RFC 3339 cannot write (an audit's
    /// finding). Times of content end at 9999-12-30; the reference time lies in 1970-01-02
    /// to 9999-12-30.
    func testTimesWhoseLocalDateMayNotBeOf1970To9999AreRefused() {
        let late = SiteFixture(["content/site.yaml": SiteFixture.siteYAML + "reference_time: 9999-12-31T23:59:59Z\n"]).generate().1
        XCTAssertEqual(late.filter { $0.severity == .error }.map(\.message), ["`reference_time` is after 9999-12-30, found `9999-12-31T23:59:59Z`"])
        let incident = "---\ntitle: Panne\nseverity: major_outage\naffected: [messagerie]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 9999-12-31T23:59:59-23:59\n---\n"
        let resolved = SiteFixture(["content/incidents/panne.md": incident]).generate(BuildSettings(now: Timestamp(rfc3339: "2026-11-01T00:00:00Z"))).1
        XCTAssertEqual(resolved.filter { $0.severity == .error }.map(\.message), ["`resolved_at` is after 9999-12-30, found `9999-12-31T23:59:59-23:59`"])
        XCTAssertNil(Builder.sourceDateEpoch(["SOURCE_DATE_EPOCH": "253402300799"]))
        XCTAssertNotNil(Builder.sourceDateEpoch(["SOURCE_DATE_EPOCH": "253402128000"]))
    }

    // MARK: Minutes

    func testMinutesAreGroupedAndAnHourOrMoreIsAlsoADuration() {
        let fr = Self.french
        XCTAssertEqual(fr.minutes(43.2, roundingUp: false), "43,2 min")
        XCTAssertEqual(fr.minutes(59.95, roundingUp: false), "59,9 min")
        XCTAssertEqual(fr.minutes(88, roundingUp: true), "88,0 min (1 h 28 min)")
        XCTAssertEqual(fr.minutes(39000, roundingUp: false), "39\u{202F}000,0 min (27 j 2 h)")
        // The duration is to the nearest minute: the figure before it is the exact one.
        XCTAssertEqual(fr.minutes(1_234_567.8, roundingUp: false), "1\u{202F}234\u{202F}567,8 min (857 j 8 h 8 min)")
        XCTAssertEqual(fr.minutes(129.6, roundingUp: false), "129,6 min (2 h 10 min)")
        XCTAssertEqual(fr.minutes(129.6, roundingUp: true), "129,6 min (2 h 10 min)")
        XCTAssertEqual(LocaleFormat().minutes(39000, roundingUp: false), "39,000.0 min (27 d 2 h)")
    }

    func testTheThemeGroupsDigitsInEachLanguage() {
        let bag = DiagnosticBag()
        let i18n = I18n.load(tree: DiskSourceTree(root: SiteFixture.repositoryRoot), folder: "templates", siteLanguages: ["fr", "nl", "en"], diagnostics: bag)
        XCTAssertEqual(bag.all.lines, [])
        XCTAssertEqual(i18n.languages["fr"]?.format.minutes(39000, roundingUp: false), "39\u{202F}000,0 min (27 j 2 h)")
        XCTAssertEqual(i18n.languages["nl"]?.format.minutes(39000, roundingUp: false), "39.000,0 min (27 d 2 u)")
        XCTAssertEqual(i18n.languages["en"]?.format.minutes(39000, roundingUp: false), "39,000.0 min (27 d 2 h)")
    }

    // MARK: Long e-mail addresses

    func testAnEmailAddressBreaksBetweenItsPartsNotInsideThem() throws {
        XCTAssertEqual(ViewBuilder.emailParts("partner.relationship@premier.fed.be").map { "\($0["wbr"] as! Bool ? "|" : "")\($0["text"] as! String)" },
                       ["partner", "|.relationship", "|@premier", "|.fed", "|.be"])
        let (site, _) = try CurrentStateTests.build(ModelTests.files(["content/services/fax.md": ModelTests.sheet("Fax")]), now: ModelTests.now)
        XCTAssertContains(site.text("fr/services/fax/index.html"), "<li><a href=\"mailto:ann@example.org\">ann<wbr>@example<wbr>.org</a></li>")
        XCTAssertContains(site.text("fr/services/fax/index.html"), "<li><a href=\"mailto:help@example.org\">help<wbr>@example<wbr>.org</a></li>")
    }
}

extension RoughEdgesTests {
    // MARK: The current month on a service page

    /// The month in progress shows its figure so far and no verdict, the same on the
    /// service page, its report, the overview and the files: minutes or days into a month,
    /// "met" says what is not known yet. A month that is over keeps its verdict.
    func testTheMonthInProgressIsNotJudgedYet() throws {
        let site = try SLAOverviewTests.site()
        let pending = "<span class=\"figure\">100,00\u{202F}%</span> <span class=\"verdict verdict-pending\">mois en cours : pas encore de verdict</span>"
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, "<tr><th scope=\"row\">novembre 2026</th><td>\(pending)")
        XCTAssertContains(page, "<tr><th scope=\"row\">octobre 2026</th><td><span class=\"figure\">99,89\u{202F}%</span> <span class=\"verdict verdict-breached\">")
        XCTAssertContains(site.text("fr/services/messagerie/sla/2026-11/index.html"), "<div class=\"report-key\"><dt>Disponibilité mesurée</dt><dd>\(pending)")
        XCTAssertNotContains(site.text("fr/sla/2026-11/index.html"), "objectif atteint")
        let json = try CurrentStateTests.json(site, "api/sla/2026-11.json")
        let rows = try XCTUnwrap(json["services"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["verdict"] as? String }, ["in_progress", "in_progress", "in_progress"])
        XCTAssertTrue(rows.allSatisfy { $0["met"] is NSNull })
        XCTAssertEqual((json["summary"] as? [String: Int])?["met"], 0)
        XCTAssertContains(site.text("api/sla/2026-11.csv"), ",in_progress,")
    }
}

extension RoughEdgesTests {
    // MARK: new service

    func testANewServiceKeepsTheIdAsWrittenAndQuotesAGivenTitle() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Scaffold.newService(id: "vpn", lang: nil, source: root)
        _ = try Scaffold.newService(id: "acces", lang: nil, title: "VPN: remote access", source: root)
        let vpn = try String(contentsOf: root.appendingPathComponent("content/services/vpn.md"), encoding: .utf8)
        XCTAssertContains(vpn, "\ntitle: \"vpn\"\n")
        let acces = try String(contentsOf: root.appendingPathComponent("content/services/acces.md"), encoding: .utf8)
        XCTAssertContains(acces, "\ntitle: \"VPN: remote access\"\n")
        let result = Builder.run(source: root, output: nil, settings: BuildSettings(), strict: true)
        XCTAssertEqual(result.diagnostics.lines, [])
        XCTAssertContains(result.site?.text("fr/services/acces/index.html"), "<h1>VPN: remote access</h1>")
    }

    func testTheSkeletonLeavesTheGeneratedSectionsToThePage() {
        let text = Scaffold.sheetSkeleton(id: "vpn", category: nil, level: nil)
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("## ") }, ["## Characteristics", "## Responsibilities", "## Requesting the service"])
    }

    // MARK: On this page

    func testOnThisPageListsTheSectionsThePageWrites() throws {
        let (site, _) = try CurrentStateTests.build(ModelTests.files([
            "content/services/fax.md": ModelTests.sheet("Fax", "depends_on: [messagerie]\n").replacingOccurrences(of: "Texte.\n", with: "## Usage\n\nTexte.\n"),
        ]), now: ModelTests.now)
        XCTAssertContains(site.text("fr/services/fax/index.html"),
                          "<ol><li><a href=\"#usage\">Usage</a></li><li><a href=\"#levels-title\">Niveaux de service</a></li><li><a href=\"#dependencies-title\">Dépendances</a></li><li><a href=\"#availability-title\">Disponibilité</a></li><li><a href=\"#incidents-title\">Incidents et maintenances de ce service</a></li></ol>")
        // A body in another language keeps its lang; the theme's sections are in the page's.
        XCTAssertContains(site.text("nl/services/fax/index.html"), "<ol><li lang=\"fr\"><a href=\"#usage\">Usage</a></li><li><a href=\"#levels-title\">Serviceniveaus</a></li>")
    }

    // MARK: Diagnostics

    func testAnUnquotedColonIsOneYAMLErrorWithTheLineQuoted() {
        let sheet = ModelTests.sheet("X").replacingOccurrences(of: "title: X\n", with: "title: VPN: remote access\n")
        let monitoring = #"{"yourict_monitoring": 1, "checks": [{"service": "vpn", "runs": [["2026-10-01T00:00:00Z", "2026-10-30T00:00:00Z", "up"]]}]}"#
        let diagnostics = SiteFixture(ModelTests.files(["content/services/vpn.md": sheet, "content/monitoring/own.json": monitoring]))
            .generate(BuildSettings(now: CurrentStateTests.t(ModelTests.now))).1
        XCTAssertEqual(diagnostics.lines, ["content/services/vpn.md:2:11: error: invalid YAML: mapping values are not allowed in this context"])
        XCTAssertEqual(diagnostics.first?.hint, "a value containing `: ` must be quoted: title: \"VPN: remote access\"")
    }

    func testTheQuotingHintOnlyRewritesAPlainKeyAndValue() {
        XCTAssertEqual(YAMLDocument.quoted("  name: Pack \"pro\": 2 users"), "name: \"Pack \\\"pro\\\": 2 users\"")
        XCTAssertNil(YAMLDocument.quoted("- a: b: c"))
        XCTAssertNil(YAMLDocument.quoted("title: \"a\": b"))
    }

    func testASeverityThatIsNotOneIsASingleError() {
        let incident = "---\ntitle: Panne\nseverity: major\naffected: [messagerie/webmail]\nstarted_at: 2026-10-20T10:00:00Z\n---\n"
        XCTAssertEqual(ModelTests.diagnostics(["content/incidents/panne.md": incident]).filter { $0.contains("error") },
                       ["content/incidents/panne.md:3:11: error: `severity` must be one of `degraded_performance`, `partial_outage`, `major_outage`, `under_maintenance`, found `major`"])
        let missing = "---\ntitle: Panne\naffected: [messagerie/webmail]\nstarted_at: 2026-10-20T10:00:00Z\n---\n"
        XCTAssertEqual(ModelTests.diagnostics(["content/incidents/panne.md": missing]).filter { $0.contains("error") },
                       ["content/incidents/panne.md:2:1: error: missing required field `severity`"])
    }

    // MARK: check

    func testCheckSaysSoWhenTheSitePasses() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        var settings = BuildSettings()
        settings.exitsAfterBuild = true
        var result = Builder.run(source: root, output: nil, settings: settings, strict: false, keepFiles: false)
        result.milliseconds = 12
        XCTAssertEqual(result.checkSummary, "Checked 18 pages (1 service, 0 incidents) in 12 ms: no errors")
        result.diagnostics.append(.warning("a warning", at: SourceLocation(path: "content/site.yaml")))
        XCTAssertEqual(result.checkSummary, "Checked 18 pages (1 service, 0 incidents) in 12 ms: no errors, 1 warning")
        result.diagnostics.append(.error("an error", at: SourceLocation(path: "content/site.yaml")))
        XCTAssertNil(result.checkSummary)
    }
}

extension RoughEdgesTests {
    // MARK: The first of a month

    func testTheFirstOfAMonthIsWrittenAsTheLanguageWritesIt() {
        let bag = DiagnosticBag()
        let i18n = I18n.load(tree: DiskSourceTree(root: SiteFixture.repositoryRoot), folder: "templates", siteLanguages: ["fr", "nl"], diagnostics: bag)
        XCTAssertEqual(i18n.languages["fr"]?.format.date(CivilDate(year: 2026, month: 10, day: 1)), "1er octobre 2026")
        XCTAssertEqual(i18n.languages["fr"]?.format.date(CivilDate(year: 2026, month: 10, day: 11)), "11 octobre 2026")
        XCTAssertEqual(i18n.languages["nl"]?.format.date(CivilDate(year: 2026, month: 10, day: 1)), "1 oktober 2026")
    }
}
