import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTContent
@testable import YourICTSite

/// Issue 24, part 1: delivery models, lifecycle and dependencies. Small sites in memory,
/// time pinned.
final class ModelTests: XCTestCase {
    static let now = "2026-10-31T00:00:00Z"

    /// A sheet without components (figures from declared incidents) with `extra` fields.
    static func sheet(_ title: String, _ extra: String = "", delivery: String = "SaaS", level: String = "standard") -> String {
        "---\ntitle: \(title)\nsummary: \(title), en bref.\ncategory: communication\ndelivery: \(delivery)\nservice_level: \(level)\nmanager: {name: Ann Example, email: ann@example.org}\n\(extra)---\nTexte.\n"
    }

    /// The fixture, webmail up for the 30 days before `now`, with `files` added.
    static func files(_ files: [String: String]) -> [String: String] {
        var all = files
        all["content/monitoring/p.json"] = CurrentStateTests.webmailSamples(from: "2026-10-01T00:00:00Z", minutes: 30 * 1440)
        return all
    }

    static func diagnostics(_ files: [String: String]) -> [String] {
        SiteFixture(files).generate(BuildSettings(now: CurrentStateTests.t(now))).1.lines
    }

    // MARK: Delivery models

    func testIaaSIsADeliveryModelByDefault() throws {
        let (site, _) = try CurrentStateTests.build(Self.files(["content/services/serveurs.md": Self.sheet("Serveurs", delivery: "IaaS")]), now: Self.now)
        let page = try XCTUnwrap(site.text("fr/catalogue/delivery/iaas/index.html"))
        XCTAssertContains(page, "<a href=\"/fr/services/serveurs/\">Serveurs</a>")
        XCTAssertContains(site.text("fr/services/serveurs/index.html"),
                          "<abbr title=\"Infrastructure as a Service : serveurs virtuels, stockage et réseau fournis et maintenus\">IaaS</abbr>")
        XCTAssertEqual(try CurrentStateTests.service(site, "serveurs")["delivery"] as? String, "IaaS")
    }

    func testSiteYAMLSetsTheDeliveryModelsAndTheirNames() throws {
        let yaml = SiteFixture.siteYAML + "delivery_models:\n  SaaS: {name: {fr: Logiciel fourni, nl: Geleverde software}}\n  On-premises:\n"
        let (site, _) = try CurrentStateTests.build(Self.files([
            "content/site.yaml": yaml, "content/services/local.md": Self.sheet("Local", delivery: "On-premises"),
        ]), now: Self.now)
        XCTAssertContains(site.text("nl/services/messagerie/index.html"), "<abbr title=\"Geleverde software\">SaaS</abbr>")
        XCTAssertNotNil(site.text("fr/catalogue/delivery/on-premises/index.html"))
        let catalogue = try XCTUnwrap(site.text("fr/catalogue/index.html"))
        // The filter lists the models in site.yaml order.
        let saas = try XCTUnwrap(catalogue.range(of: "/fr/catalogue/delivery/saas/")), local = try XCTUnwrap(catalogue.range(of: "/fr/catalogue/delivery/on-premises/"))
        XCTAssertLessThan(saas.lowerBound, local.lowerBound)
        let models = try XCTUnwrap(try CurrentStateTests.json(site, "api/catalogue.json")["delivery_models"] as? [[String: Any]])
        XCTAssertEqual(models.map { $0["id"] as? String }, ["SaaS", "On-premises"])
        XCTAssertEqual(models[0]["name"] as? [String: String], ["fr": "Logiciel fourni", "nl": "Geleverde software"])
        XCTAssertEqual(models[1]["name"] as? [String: String], ["fr": "On-premises", "nl": "On-premises"])
    }

    func testADeliveryModelNotInSiteYAMLIsAnErrorWithASuggestion() {
        let yaml = SiteFixture.siteYAML + "delivery_models: [SaaS, PaaS]\n"
        XCTAssertEqual(Self.diagnostics(["content/site.yaml": yaml, "content/services/serveurs.md": Self.sheet("Serveurs", delivery: "Paas")])
            .filter { $0.contains("error") },
                       ["content/services/serveurs.md:5:11: error: `delivery` must be one of `SaaS`, `PaaS`, found `Paas`"])
    }

    func testDeliveryModelsDifferingOnlyInCaseAreAnError() {
        let yaml = SiteFixture.siteYAML + "delivery_models: [SaaS, saas]\n"
        XCTAssertEqual(Self.diagnostics(["content/site.yaml": yaml]).filter { $0.contains("error") },
                       ["content/site.yaml:16:25: error: delivery model `saas` is listed twice (as `SaaS`)"])
    }

    // MARK: Lifecycle

    static let deprecated = "lifecycle: {stage: deprecated, since: 2026-09-01, until: 2027-03-31, replaced_by: messagerie}\n"

    func testADeprecatedServiceSaysUntilWhenWhereverItIsListed() throws {
        let (site, _) = try CurrentStateTests.build(Self.files(["content/services/fax.md": Self.sheet("Fax", Self.deprecated)]), now: Self.now)
        let label = "<span class=\"lifecycle lifecycle-deprecated\">En fin de vie</span> <span class=\"lifecycle-note\">jusqu&#39;au 31 mars 2027</span>"
        XCTAssertContains(try CurrentStateTests.dashboardRow(site, "fax"), label)
        let catalogue = try XCTUnwrap(site.text("fr/catalogue/index.html"))
        XCTAssertContains(catalogue, "<div><dt>Cycle de vie</dt><dd>\(label)</dd></div>")
        XCTAssertContains(site.text("fr/services/fax/index.html"),
                          "<div><dt>Cycle de vie</dt><dd>\(label) · remplacé par <a href=\"/fr/services/messagerie/\">Messagerie</a></dd></div>")
        XCTAssertContains(site.text("nl/services/fax/index.html"), "<span class=\"lifecycle lifecycle-deprecated\">Uitdovend</span> <span class=\"lifecycle-note\">tot 31 maart 2027</span>")
        let lifecycle = try XCTUnwrap(try CurrentStateTests.service(site, "fax")["lifecycle"] as? [String: Any])
        XCTAssertEqual(lifecycle["stage"] as? String, "deprecated")
        XCTAssertEqual(lifecycle["since"] as? String, "2026-09-01")
        XCTAssertEqual(lifecycle["until"] as? String, "2027-03-31")
        XCTAssertEqual(lifecycle["replaced_by"] as? String, "messagerie")
        // Still in operation: it has a state, here and in the Statuspage components.
        XCTAssertEqual(try CurrentStateTests.service(site, "fax")["status"] as? String, "operational")
        XCTAssertEqual(try CurrentStateTests.statuspageComponent(site, "fax")["status"] as? String, "operational")
    }

    /// Retired on 15 October: out of every current list, its page and October report stay,
    /// and October is counted up to the 15th.
    func testARetiredServiceLeavesTheListsAndKeepsItsHistory() throws {
        let (site, diagnostics) = try CurrentStateTests.build(Self.files([
            "content/services/fax.md": Self.sheet("Fax", "lifecycle: {stage: retired, since: 2026-10-15, replaced_by: messagerie}\n"),
            // Declared after it was retired: outside its last report, and the author is told.
            "content/incidents/apres.md": "---\ntitle: Après\nseverity: major_outage\naffected: [fax]\nstarted_at: 2026-10-20T10:00:00Z\n---\n",
        ]), now: Self.now)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("is retired since") }.lines, [
            "content/incidents/apres.md:4:12: warning: `fax`: service `fax` is retired since 2026-10-15; the incident starts after that",
        ])
        // Not a row of the dashboard (the open incident's card may name it).
        XCTAssertNotContains(site.text("fr/index.html"), "class=\"service-name\" href=\"/fr/services/fax/\"")
        XCTAssertNotContains(site.text("fr/catalogue/index.html"), "/fr/services/fax/")
        XCTAssertNotContains(site.text("fr/catalogue/delivery/saas/index.html"), "/fr/services/fax/")
        XCTAssertNotContains(site.text("search/index.fr.json"), "/fr/services/fax/")
        let api = try CurrentStateTests.json(site, "api/services.json")
        XCTAssertEqual((api["services"] as? [[String: Any]])?.map { $0["id"] as? String }, ["messagerie"])
        XCTAssertEqual(api["retired"] as? [[String: String]],
                       [["id": "fax", "title": "Fax", "url": "/fr/services/fax/", "since": "2026-10-15", "replaced_by": "messagerie"]])
        let components = try XCTUnwrap(try CurrentStateTests.json(site, "api/v2/summary.json")["components"] as? [[String: Any]])
        XCTAssertFalse(components.contains { $0["id"] as? String == "fax" })
        XCTAssertNil((try CurrentStateTests.json(site, "api/catalogue.json")["services"] as? [[String: Any]])?.first { $0["id"] as? String == "fax" })

        let page = try XCTUnwrap(site.text("fr/services/fax/index.html"))
        XCTAssertContains(page, "<span class=\"lifecycle lifecycle-retired\">Retiré</span> <span class=\"lifecycle-note\">depuis le 15 octobre 2026</span>")
        XCTAssertContains(page, "<p class=\"lifecycle-notice\" role=\"note\">Ce service n&#39;est plus proposé.")
        XCTAssertNotContains(page, "windows-caption")
        XCTAssertNotContains(page, "<dt>État actuel</dt>")
        XCTAssertContains(page, "<a href=\"/fr/services/fax/sla/2026-10/\">Rapport SLA")
        let report = try XCTUnwrap(site.text("fr/services/fax/sla/2026-10/index.html"))
        XCTAssertContains(report, "<p class=\"report-period\">1er octobre 2026 à 00:00 (UTC+02:00) – 15 octobre 2026 à 00:00 (UTC+02:00)</p>")
        // Measured from the site's first record (1 October 00:00Z, two hours into the
        // Brussels month) to the 15th: 334 of 336 hours.
        XCTAssertContains(report, "<div><dt>Part mesurée</dt><dd>99,4\u{202F}%</dd></div>")
        XCTAssertNil(site.text("fr/services/fax/sla/2026-11/index.html"))
        // The month's overview counts the events its report counts: none.
        XCTAssertContains(report, "Aucun incident ni maintenance ce mois-ci.")
        let rows = try XCTUnwrap(try CurrentStateTests.json(site, "api/sla/2026-10.json")["services"] as? [[String: Any]])
        XCTAssertEqual(rows.first { $0["id"] as? String == "fax" }?["incidents"] as? Int, 0)
        // No rolling figure on its badge either.
        XCTAssertEqual(try CurrentStateTests.json(site, "badges/fax.json")["message"] as? String, "retired")
        XCTAssertContains(site.text("badges/fax.svg"), "<title>Fax: uptime 30d retired</title>")
    }

    /// A retirement written ahead of its day: until then the service runs — listed, with
    /// its state and figures, labelled as ending the day before — and from that day on it
    /// is retired, with nothing else changed in the sheet.
    func testARetirementDatedAfterTheReferenceTimeIsNotDoneYet() throws {
        let files = Self.files(["content/services/fax.md": Self.sheet("Fax", "lifecycle: {stage: retired, since: 2026-11-15, replaced_by: messagerie}\n")])
        let (before, _) = try CurrentStateTests.build(files, now: Self.now)
        XCTAssertContains(before.text("fr/index.html"), "class=\"service-name\" href=\"/fr/services/fax/\"")
        XCTAssertContains(before.text("fr/catalogue/index.html"), "/fr/services/fax/")
        let page = try XCTUnwrap(before.text("fr/services/fax/index.html"))
        XCTAssertContains(page, "<span class=\"lifecycle lifecycle-deprecated\">En fin de vie</span> <span class=\"lifecycle-note\">jusqu&#39;au 14 novembre 2026</span>")
        XCTAssertNotContains(page, "Retiré")
        let service = try CurrentStateTests.service(before, "fax")
        XCTAssertEqual(service["status"] as? String, "operational")
        XCTAssertEqual((service["lifecycle"] as? [String: Any])?["stage"] as? String, "deprecated")
        XCTAssertNotEqual(try CurrentStateTests.json(before, "badges/fax.json")["message"] as? String, "retired")

        let (after, _) = try CurrentStateTests.build(files, now: "2026-11-20T00:00:00Z")
        XCTAssertNotContains(after.text("fr/index.html"), "class=\"service-name\" href=\"/fr/services/fax/\"")
        XCTAssertContains(after.text("fr/services/fax/index.html"), "<span class=\"lifecycle lifecycle-retired\">Retiré</span> <span class=\"lifecycle-note\">depuis le 15 novembre 2026</span>")
    }

    /// A service without monitoring that went into production on the 15th has figures
    /// from its declared incidents from that day only: the months before have no data,
    /// not 100 % "met".
    func testBeforeItsProductionDateAnUnmonitoredServiceHasNoFigures() throws {
        let (site, _) = try CurrentStateTests.build(Self.files([
            "content/services/sign.md": Self.sheet("Signature", "lifecycle: {stage: production, since: 2026-10-15}\n"),
        ]), now: Self.now)
        let report = try XCTUnwrap(site.text("fr/services/sign/sla/2026-10/index.html"))
        // From 15 October 00:00 (Brussels) to the reference time, 31 October 00:00Z: 386 of
        // the month's 722 hours so far.
        // (October is not over at the reference time: no verdict, whatever is measured so far.)
        XCTAssertContains(report, "<div><dt>Part mesurée</dt><dd>53,4\u{202F}%</dd></div>")
        let rows = try XCTUnwrap(try CurrentStateTests.json(site, "api/sla/2026-10.json")["services"] as? [[String: Any]])
        XCTAssertEqual(rows.first { $0["id"] as? String == "sign" }?["verdict"] as? String, "in_progress")
        // The same sheet without a date counts the whole month from the site's first record.
        let (dateless, _) = try CurrentStateTests.build(Self.files(["content/services/sign.md": Self.sheet("Signature")]), now: Self.now)
        XCTAssertContains(dateless.text("fr/services/sign/sla/2026-10/index.html"), "<div><dt>Part mesurée</dt><dd>99,7\u{202F}%</dd></div>")
        XCTAssertNotContains(dateless.text("fr/services/sign/sla/2026-10/index.html"), "données insuffisantes")
    }

    func testAPlannedServiceIsInTheCatalogueButHasNoStateYet() throws {
        let (site, diagnostics) = try CurrentStateTests.build(Self.files([
            "content/services/voip.md": Self.sheet("Téléphonie IP", "lifecycle: {stage: planned, until: 2027-01-15}\n"),
            // Declared on a service not yet open: it gets no state or figure from it.
            "content/incidents/essai.md": "---\ntitle: Essai\nseverity: major_outage\naffected: [voip]\nstarted_at: 2026-10-30T10:00:00Z\n---\n",
        ]), now: Self.now)
        // Not a row of the dashboard (the open incident's card may name it).
        XCTAssertNotContains(site.text("fr/index.html"), "class=\"service-name\" href=\"/fr/services/voip/\"")
        XCTAssertContains(site.text("fr/catalogue/index.html"),
                          "<span class=\"lifecycle lifecycle-planned\">Prévu</span> <span class=\"lifecycle-note\">ouverture prévue le 15 janvier 2027</span>")
        let service = try CurrentStateTests.service(site, "voip")
        // Time without a declared incident does not count as up before it opens.
        XCTAssertEqual(service["status"] as? String, "no_data")
        XCTAssertEqual((service["availability"] as? [String: Any])?["30d"] as? NSNull, NSNull())
        XCTAssertNil(site.text("fr/services/voip/sla/2026-10/index.html"))
        XCTAssertNotContains(site.text("fr/services/voip/index.html"), "<dt>État actuel</dt>")
        XCTAssertEqual(try CurrentStateTests.json(site, "badges/voip.json")["message"] as? String, "no data")
        let rows = try XCTUnwrap(try CurrentStateTests.json(site, "api/sla/2026-10.json")["services"] as? [[String: Any]])
        XCTAssertNil(rows.first { $0["id"] as? String == "voip" })
        // Its figures are not "from declared incidents": those do not count before it opens.
        XCTAssertEqual((service["source"] as? [String: Any])?["30d"] as? String, "monitoring")
        XCTAssertEqual(try CurrentStateTests.json(site, "badges/voip.json")["label"] as? String, "uptime 30d")
        XCTAssertEqual(diagnostics.filter { $0.message.contains("is planned") }.lines, [
            "content/incidents/essai.md:4:12: warning: `voip`: service `voip` is planned, not open yet: the incident sets no state for it",
        ])
    }

    /// A planned service that monitoring already measures (a probe set up before it
    /// opens) has those figures and that state alone: incidents naming it, past or open,
    /// set neither (a past one counted its 10 hours as downtime where nothing was
    /// measured, an open one made the service a major outage).
    func testAMeasuredPlannedServiceHasOnlyWhatMonitoringMeasured() throws {
        var files = Self.files([
            "content/services/voip.md": Self.sheet("Téléphonie IP", "lifecycle: {stage: planned, until: 2027-01-15}\ncomponents:\n"
                + "  - {id: sip, name: SIP, monitor: {job: blackbox, instance: \"https://voip.example.org/\"}}\n"),
            "content/incidents/essai.md": "---\ntitle: Essai\nseverity: major_outage\naffected: [voip]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 2026-10-20T20:00:00Z\n---\n",
            "content/incidents/ouvert.md": "---\ntitle: Ouvert\nseverity: major_outage\naffected: [voip/sip]\nstarted_at: 2026-10-30T23:00:00Z\n---\n",
        ])
        // Measured, up, the last two days only.
        let probe = #"{"__name__":"probe_success","job":"blackbox","instance":"https://voip.example.org/"}"#
        files["content/monitoring/v.json"] = MonitoringTests.prometheus(
            MonitoringTests.minutes(from: CurrentStateTests.t("2026-10-29T00:00:00Z").millis / 1000, 2 * 1440), labels: probe)
        let (site, _) = try CurrentStateTests.build(files, now: Self.now)
        let service = try CurrentStateTests.service(site, "voip")
        XCTAssertEqual(service["status"] as? String, "operational")
        XCTAssertEqual((service["availability"] as? [String: Any])?["30d"] as? Double, 100)
        XCTAssertEqual((service["error_budget"] as? [String: Any])?["used_minutes"] as? Double, 0)
        XCTAssertEqual(try CurrentStateTests.component(site, "sip", of: "voip")["status"] as? String, "operational")
        XCTAssertEqual(try CurrentStateTests.json(site, "badges/voip.json")["message"] as? String, "100.00% (6.6% measured)")
    }

    /// A monitored component with nothing measured in the month is in its report, saying so.
    func testAnSLAReportListsEveryComponent() throws {
        let sheet = """
        ---
        title: Portail
        summary: Un portail.
        category: communication
        delivery: SaaS
        service_level: standard
        components:
          - {id: web, name: Site web, monitor: {job: blackbox, instance: "https://webmail.example.org/"}}
          - {id: sync, name: Synchronisation, monitor: {job: nothing}}
        ---
        Texte.

        """
        let (site, _) = try CurrentStateTests.build(Self.files(["content/services/portail.md": sheet]), now: Self.now)
        let report = try XCTUnwrap(site.text("fr/services/portail/sla/2026-10/index.html"))
        XCTAssertContains(report, "<tr><th scope=\"row\">Site web</th><td><span class=\"figure\">")
        XCTAssertContains(report, "<tr><th scope=\"row\">Synchronisation</th><td><span class=\"figure figure-none\">pas de données</span>")
    }

    func testAPilotIsLabelledAndInOperation() throws {
        let (site, _) = try CurrentStateTests.build(Self.files(["content/services/visio.md": Self.sheet("Visio", "lifecycle: pilot\n")]), now: Self.now)
        let row = try CurrentStateTests.dashboardRow(site, "visio")
        XCTAssertContains(row, "<span class=\"lifecycle lifecycle-pilot\">Pilote</span>")
        XCTAssertContains(row, "status-operational")
    }

    func testLifecycleMistakesAreLocatedErrors() {
        let lines = Self.diagnostics([
            "content/services/a.md": Self.sheet("A", "lifecycle: {stage: deprecated, since: 2026-09-01, until: 2026-08-01}\n"),
            "content/services/b.md": Self.sheet("B", "lifecycle: {stage: retired}\n"),
            "content/services/c.md": Self.sheet("C", "lifecycle: {stage: production, until: 2027-01-01}\n"),
            "content/services/d.md": Self.sheet("D", "lifecycle: {stage: deprecated, until: 31/03/2027, replaced_by: messageri}\n"),
            "content/services/e.md": Self.sheet("E", "lifecycle: {stage: pilot, replaced_by: a}\n"),
            "content/services/f.md": Self.sheet("F", "lifecycle: retird\n"),
        ]).filter { $0.contains("error") }
        XCTAssertEqual(lines, [
            "content/services/a.md:8:51: error: `until` (2026-08-01) is before `since` (2026-09-01)",
            "content/services/b.md:8:12: error: a retired service needs `since`: the day it was retired",
            "content/services/c.md:8:32: error: a service in production has no `until`",
            "content/services/d.md:8:39: error: `until` must be a date such as 2026-06-01, found `31/03/2027`",
            "content/services/d.md:8:64: error: `replaced_by`: there is no service `messageri`",
            "content/services/e.md:8:27: error: only a deprecated or retired service has `replaced_by`",
            "content/services/f.md:8:12: error: `lifecycle` must be one of `planned`, `pilot`, `production`, `deprecated`, `retired`, found `retird`",
        ])
    }

    // MARK: Dependencies

    static let hosting = ["content/services/hebergement.md": sheet("Hébergement")]
    static func outage(_ severity: String, on target: String = "hebergement") -> [String: String] {
        CurrentStateTests.incident("panne", "severity: \(severity)\naffected: [\(target)]\nstarted_at: 2026-10-30T22:00:00Z\n")
    }
    static let mailDependsOnHosting = """
        ---
        title: Messagerie
        summary: Le courriel des agents.
        category: communication
        delivery: SaaS
        service_level: critical
        manager: {name: Ann Example, email: ann@example.org}
        depends_on: [hebergement]
        components:
          - {id: webmail, name: Webmail, monitor: {job: blackbox, instance: "https://webmail.example.org/"}}
        ---
        Texte.
        """

    func testAnOutageOfADependencyShowsOnItsDependantsWithoutChangingTheirFigures() throws {
        var files = Self.files(Self.hosting)
        files["content/services/messagerie.md"] = Self.mailDependsOnHosting
        let (before, _) = try CurrentStateTests.build(files, now: Self.now)
        files.merge(Self.outage("major_outage")) { _, new in new }
        let (site, _) = try CurrentStateTests.build(files, now: Self.now)

        let affected = "<p class=\"affected-through\"><span class=\"status-icon\" aria-hidden=\"true\">⚠</span> Affecté via <a href=\"/fr/services/hebergement/\">Hébergement</a> (Panne majeure)</p>"
        XCTAssertContains(try CurrentStateTests.dashboardRow(site, "messagerie"), "status-operational")
        XCTAssertContains(site.text("fr/index.html"), affected)
        XCTAssertContains(site.text("fr/services/messagerie/index.html"), affected)
        XCTAssertNotContains(before.text("fr/index.html"), "affected-through")

        let mail = try CurrentStateTests.service(site, "messagerie"), mailBefore = try CurrentStateTests.service(before, "messagerie")
        XCTAssertEqual(mail["affected_through"] as? [[String: String]], [["id": "hebergement", "status": "major_outage", "via": "hebergement"]])
        XCTAssertEqual(mail["status"] as? String, "operational")
        XCTAssertEqual(mail["availability"] as? [String: Double], mailBefore["availability"] as? [String: Double])
        XCTAssertEqual(mail["met"] as? Bool, true)
        XCTAssertEqual(mailBefore["affected_through"] as? [[String: String]], [])
    }

    func testAffectedThroughFollowsTheChainAndNamesTheWay() throws {
        var files = Self.files([
            "content/services/hebergement.md": Self.sheet("Hébergement", "depends_on: [serveurs/stockage]\n"),
            "content/services/serveurs.md": Self.sheet("Serveurs", "components:\n  - {id: stockage, name: Stockage}\n  - {id: calcul, name: Calcul}\n", delivery: "IaaS"),
        ])
        files["content/services/messagerie.md"] = Self.mailDependsOnHosting
        files.merge(Self.outage("partial_outage", on: "serveurs/stockage")) { _, new in new }
        let (site, _) = try CurrentStateTests.build(files, now: Self.now)
        XCTAssertEqual(try CurrentStateTests.service(site, "messagerie")["affected_through"] as? [[String: String]],
                       [["id": "serveurs/stockage", "status": "partial_outage", "via": "hebergement"]])
        XCTAssertContains(site.text("fr/services/messagerie/index.html"),
                          "Affecté via <a href=\"/fr/services/serveurs/\">Serveurs — Stockage</a> (Panne partielle, par <a href=\"/fr/services/hebergement/\">Hébergement</a>)")
        XCTAssertEqual(try CurrentStateTests.service(site, "hebergement")["affected_through"] as? [[String: String]],
                       [["id": "serveurs/stockage", "status": "partial_outage", "via": "serveurs/stockage"]])
    }

    func testADependencyOnAnotherComponentIsNotAffected() throws {
        var files = Self.files([
            "content/services/hebergement.md": Self.sheet("Hébergement", "depends_on: [serveurs/calcul]\n"),
            "content/services/serveurs.md": Self.sheet("Serveurs", "components:\n  - {id: stockage, name: Stockage}\n  - {id: calcul, name: Calcul}\n"),
        ])
        files.merge(Self.outage("major_outage", on: "serveurs/stockage")) { _, new in new }
        let (site, _) = try CurrentStateTests.build(files, now: Self.now)
        XCTAssertEqual(try CurrentStateTests.service(site, "hebergement")["affected_through"] as? [[String: String]], [])
    }

    func testASlowDependencyDoesNotAffectItsDependants() throws {
        var files = Self.files(Self.hosting)
        files["content/services/messagerie.md"] = Self.mailDependsOnHosting
        files.merge(Self.outage("degraded_performance")) { _, new in new }
        let (site, _) = try CurrentStateTests.build(files, now: Self.now)
        XCTAssertEqual(try CurrentStateTests.service(site, "messagerie")["affected_through"] as? [[String: String]], [])
        XCTAssertNotContains(site.text("fr/index.html"), "affected-through")
    }

    /// On the Dutch page of an untranslated (French) sheet, a translated service it names
    /// is Dutch: it must not take the sheet's `lang="fr"` (Mustache looks a missing key up
    /// in the enclosing contexts).
    func testATranslatedServiceNamedByAnUntranslatedSheetKeepsThePageLanguage() throws {
        let (site, _) = try CurrentStateTests.build(Self.files([
            "content/services/messagerie.nl.md": "---\ntitle: E-mail\nsummary: E-mail, kort.\n---\nTekst.\n",
            "content/services/fax.md": Self.sheet("Fax", "depends_on: [messagerie]\n"),
            "content/incidents/panne.md": "---\ntitle: Panne\nseverity: major_outage\naffected: [messagerie, fax]\nstarted_at: 2026-10-30T10:00:00Z\n---\n",
        ]), now: Self.now)
        let page = try XCTUnwrap(site.text("nl/services/fax/index.html"))
        XCTAssertContains(page, "<a href=\"/nl/services/messagerie/\">E-mail</a>")
        XCTAssertNotContains(page, "lang=\"fr\">E-mail")
        // The incident (French only) names both: each affected service in its own language.
        let incident = try XCTUnwrap(site.text("nl/incidents/panne/index.html"))
        XCTAssertContains(incident, "<li><a href=\"/nl/services/messagerie/\">E-mail</a></li>")
        XCTAssertContains(incident, "<li lang=\"fr\"><a href=\"/nl/services/fax/\">Fax</a></li>")
        XCTAssertContains(site.text("nl/index.html"), "<a href=\"/nl/services/fax/\" lang=\"fr\">Fax</a>")
    }

    /// A translation that gives a title and inherits the summary: the summary is marked
    /// French on its page and its catalogue card, the Dutch title is not (the card marked
    /// the summary by the title's language; the page marked neither).
    func testAnInheritedSummaryIsMarkedApartFromItsTitle() throws {
        let (site, _) = try CurrentStateTests.build(Self.files([
            "content/services/messagerie.nl.md": "---\ntitle: E-mail\n---\nTekst.\n",
            "content/services/fax.nl.md": "---\nsummary: Faxen, kort.\n---\nTekst.\n",
            "content/services/fax.md": Self.sheet("Fax"),
        ]), now: Self.now)
        let page = try XCTUnwrap(site.text("nl/services/messagerie/index.html"))
        XCTAssertContains(page, "<h1>E-mail</h1>\n<p class=\"lead\" lang=\"fr\">Le courriel des agents.</p>")
        let fax = try XCTUnwrap(site.text("nl/services/fax/index.html"))
        XCTAssertContains(fax, "<h1 lang=\"fr\">Fax</h1>\n<p class=\"lead\">Faxen, kort.</p>")
        let catalogue = try XCTUnwrap(site.text("nl/catalogue/index.html"))
        XCTAssertContains(catalogue, "<p class=\"card-summary\" lang=\"fr\">Le courriel des agents.</p>")
        XCTAssertContains(catalogue, "<p class=\"card-summary\">Faxen, kort.</p>")
    }

    /// A translated incident that leaves an update out: each text stays with its own
    /// update (matched by time), and what was not translated is marked as French — on the
    /// page, in the card and in the feed. Taken in order, "NL opgelost" sat under the
    /// "cause found" update and the French "résolu" was unmarked.
    func testATranslationsUpdatesAreMatchedByTimeAndTheRestMarked() throws {
        let original = """
        ---
        title: Coupure
        severity: major_outage
        affected: [messagerie]
        started_at: 2026-10-30T10:00:00Z
        resolved_at: 2026-10-30T11:00:00Z
        updates:
          - {at: 2026-10-30T10:05:00Z, status: investigating, body: FR analyse}
          - {at: 2026-10-30T10:30:00Z, status: identified, body: FR cause}
          - {at: 2026-10-30T11:00:00Z, status: resolved, body: FR résolu}
        ---

        """
        let translation = """
        ---
        title: Storing
        updates:
          - {at: 2026-10-30T10:05:00Z, status: investigating, body: NL onderzoek}
          - {at: 2026-10-30T11:00:00Z, status: resolved, body: NL opgelost}
        ---

        """
        let (site, diagnostics) = try CurrentStateTests.build(Self.files([
            "content/incidents/coupure.md": original, "content/incidents/coupure.nl.md": translation,
        ]), now: Self.now)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("updates of this translation") }.count, 1)
        let page = try XCTUnwrap(site.text("nl/incidents/coupure/index.html"))
        let items = page.components(separatedBy: "<li class=\"timeline-item ").dropFirst()
        let byStatus = Dictionary(uniqueKeysWithValues: items.map { (String($0.prefix { $0 != "\"" }), $0) })
        XCTAssertContains(byStatus["update-resolved"], "<p class=\"timeline-body\">NL opgelost</p>")
        XCTAssertContains(byStatus["update-identified"], "<p class=\"timeline-body\" lang=\"fr\">FR cause</p>")
        XCTAssertContains(byStatus["update-investigating"], "<p class=\"timeline-body\">NL onderzoek</p>")
        let feed = try XCTUnwrap(site.text("nl/feed.xml"))
        XCTAssertContains(feed, "&lt;span lang=&quot;fr&quot;&gt;FR cause&lt;/span&gt;")
        XCTAssertContains(feed, "): NL opgelost&lt;/p&gt;")

        // A translation giving only a body: its title and updates are the original's, in French.
        let (bare, _) = try CurrentStateTests.build(Self.files([
            "content/incidents/coupure.md": original, "content/incidents/coupure.nl.md": "---\ndraft: false\n---\nTekst.\n",
        ]), now: Self.now)
        let barePage = try XCTUnwrap(bare.text("nl/incidents/coupure/index.html"))
        XCTAssertContains(barePage, "<h1 lang=\"fr\">Coupure</h1>")
        XCTAssertContains(barePage, "<p class=\"timeline-body\" lang=\"fr\">FR résolu</p>")
        XCTAssertContains(bare.text("nl/incidents/index.html"), "<span lang=\"fr\">FR résolu</span>")
        XCTAssertContains(bare.text("nl/feed.xml"), "<title xml:lang=\"fr\">")
        XCTAssertNotContains(site.text("nl/feed.xml"), "<title xml:lang=\"fr\">")
    }

    /// A translation of as many updates whose second is of another status (`resolved`,
    /// dated after the reference time) under an update still `identified`: taken by its
    /// place, it made the open incident say "NL opgelost" (an audit's finding). A text
    /// goes only to an update of its status; the other stays French, marked.
    func testATranslatedUpdateOfAnotherStatusIsNotTakenByItsPlace() throws {
        let original = """
        ---
        title: Coupure
        severity: major_outage
        affected: [messagerie]
        started_at: 2026-10-30T10:00:00Z
        updates:
          - {at: 2026-10-30T10:05:00Z, status: investigating, body: FR analyse}
          - {at: 2026-10-30T10:30:00Z, status: identified, body: FR cause}
        ---

        """
        let translation = """
        ---
        title: Storing
        updates:
          - {at: 2026-10-30T10:06:00Z, status: investigating, body: NL onderzoek}
          - {at: 2026-10-31T09:00:00Z, status: resolved, body: NL opgelost}
        ---

        """
        let (site, _) = try CurrentStateTests.build(Self.files([
            "content/incidents/coupure.md": original, "content/incidents/coupure.nl.md": translation,
        ]), now: Self.now)
        let page = try XCTUnwrap(site.text("nl/incidents/coupure/index.html"))
        XCTAssertNotContains(page, "NL opgelost")
        XCTAssertContains(page, "<p class=\"timeline-body\" lang=\"fr\">FR cause</p>")
        // A time mistyped in the translation: the same place and status still match.
        XCTAssertContains(page, "<p class=\"timeline-body\">NL onderzoek</p>")
        XCTAssertNotContains(site.text("nl/feed.xml"), "NL opgelost")
    }

    /// A dependency row shows its own state and stage only: a production service listed
    /// on a deprecated service's page is not "deprecated", and a planned one listed there
    /// has no state — Mustache found the page's own in the enclosing context.
    func testADependencyRowShowsItsOwnStateAndStageOnly() throws {
        let (site, _) = try CurrentStateTests.build(Self.files([
            "content/services/fax.md": Self.sheet("Fax", Self.deprecated + "depends_on: [messagerie, voip]\n"),
            "content/services/voip.md": Self.sheet("Téléphonie IP", "lifecycle: {stage: planned, until: 2027-01-15}\n"),
        ]), now: Self.now)
        let page = try XCTUnwrap(site.text("fr/services/fax/index.html"))
        let rows = try XCTUnwrap(page.section(after: "<h3 id=\"depends-on-title\">", until: "</ul>"))
        let mail = try XCTUnwrap(rows.item(separatedBy: "<li>", containing: ">Messagerie</a>"))
        XCTAssertContains(mail, "status-operational")
        XCTAssertNotContains(mail, "lifecycle")
        let voip = try XCTUnwrap(rows.item(separatedBy: "<li>", containing: ">Téléphonie IP</a>"))
        XCTAssertContains(voip, "lifecycle-planned")
        XCTAssertNotContains(voip, "class=\"status ")
        // And the other way: the planned service's page lists the deprecated one as such.
        let dependants = try XCTUnwrap(site.text("fr/services/messagerie/index.html")?.section(after: "<h3 id=\"dependants-title\">", until: "</ul>"))
        XCTAssertContains(dependants, "lifecycle-deprecated")
    }

    func testAServicePageListsWhatItDependsOnAndWhatDependsOnIt() throws {
        var files = Self.files(Self.hosting)
        files["content/services/messagerie.md"] = Self.mailDependsOnHosting
        let (site, _) = try CurrentStateTests.build(files, now: Self.now)
        let hosting = try XCTUnwrap(site.text("fr/services/hebergement/index.html"))
        XCTAssertContains(hosting, "<h3 id=\"dependants-title\">Services qui en dépendent</h3>\n<ul class=\"dependencies\" aria-labelledby=\"dependants-title\">\n<li><a href=\"/fr/services/messagerie/\">Messagerie</a> <span class=\"status status-operational\">")
        XCTAssertNotContains(hosting, "depends-on-title")
        let mail = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertContains(mail, "<h3 id=\"depends-on-title\">Ce service dépend de</h3>\n<ul class=\"dependencies\" aria-labelledby=\"depends-on-title\">\n<li><a href=\"/fr/services/hebergement/\">Hébergement</a> <span class=\"status status-operational\">")
        XCTAssertEqual(try CurrentStateTests.service(site, "messagerie")["depends_on"] as? [String], ["hebergement"])
    }

    func testADependencyCycleIsAnErrorAtTheEntryNamingTheCycle() {
        let lines = Self.diagnostics([
            "content/services/a.md": Self.sheet("A", "depends_on: [b]\n"),
            "content/services/b.md": Self.sheet("B", "depends_on: [c/x, messagerie]\n"),
            "content/services/c.md": Self.sheet("C", "depends_on: [a]\ncomponents:\n  - {id: x, name: X}\n"),
            "content/services/d.md": Self.sheet("D", "depends_on: [d]\n"),
        ]).filter { $0.contains("error") }
        XCTAssertEqual(lines, [
            "content/services/a.md:8:14: error: dependency cycle: `a` → `b` → `c` → `a`",
            "content/services/d.md:8:14: error: `d` depends on itself",
        ])
    }

    func testAnUnknownDependencyIsAnErrorWithASuggestion() {
        let lines = Self.diagnostics([
            "content/services/a.md": Self.sheet("A", "depends_on: [messagere, messagerie/smtp]\n"),
        ]).filter { $0.contains("error") }
        XCTAssertEqual(lines, [
            "content/services/a.md:8:14: error: `depends_on`: there is no service `messagere`",
            "content/services/a.md:8:25: error: `depends_on`: service `messagerie` has no component `smtp`",
        ])
    }

    func testCyclesAreFoundInLongChainsWithoutRecursion() {
        // 20,000 services in one chain back to the first: one cycle, found iteratively.
        let n = 20_000
        var edges: [String: [(target: String, location: SourceLocation)]] = [:]
        for i in 0..<n { edges["s\(i)"] = [("s\((i + 1) % n)", SourceLocation(path: "s\(i).md", line: 8, column: 14))] }
        let cycles = ContentValidator.cycles(edges)
        XCTAssertEqual(cycles.count, 1)
        XCTAssertEqual(cycles.first?.count, n)
        XCTAssertEqual(cycles.first?.first?.from, "s0")
    }
}
