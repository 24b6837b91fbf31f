import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import YourICTContent
@testable import YourICTMarkdown
@testable import YourICTSite

/// The catalogue's search: words and folding, what the index holds, and the ranking
/// that the theme's script computes (run in Node, the script's own code).
final class SearchTests: XCTestCase {
    // MARK: Words and folding

    func testFoldingIgnoresCaseAndAccents() {
        XCTAssertEqual(SearchText.words(in: "Hébergement HÉBERGEMENT hebergement"), ["hebergement", "hebergement", "hebergement"])
        // Decomposed input (e + U+0301) folds as the composed one.
        XCTAssertEqual(SearchText.words(in: "re\u{301}seau Réseau"), ["reseau", "reseau"])
        XCTAssertEqual(SearchText.words(in: "Ærø Straße Øresund"), ["ærø", "straße", "øresund"])
        XCTAssertEqual(SearchText.words(in: "ΟΔΟΣ"), ["οδοσ"])
    }

    /// The table that folds Latin words (`SearchText.foldLatin`) against Foundation's
    /// fold: every scalar it covers, then random words of them.
    func testLatinFoldingIsFoundationsFolding() {
        for v in UInt32(0x41)..<SearchText.latinEnd {
            let scalar = Unicode.Scalar(v)!
            guard SearchText.isWordScalar(scalar) else { continue }
            XCTAssertEqual(SearchText.foldLatin(String(scalar)), SearchText.fold(String(scalar)), "U+\(String(v, radix: 16))")
        }
        let letters = (UInt32(0x30)..<SearchText.latinEnd).compactMap(Unicode.Scalar.init).filter(SearchText.isWordScalar)
        var random = SplitMix(state: 0x5EA7C4)
        for _ in 0..<20_000 {
            var word = String.UnicodeScalarView()
            for _ in 0..<(1 + Int(random.next() % 12)) { word.append(letters[Int(random.next() % UInt64(letters.count))]) }
            let text = String(word)
            XCTAssertEqual(SearchText.foldLatin(text), SearchText.fold(text), text)
            XCTAssertEqual(SearchText.words(in: text), [SearchText.fold(text)].filter { !$0.isEmpty }, text)
        }
    }

    /// `forEachWord` folds Latin words as it reads them and others through `fold`: it must
    /// give what splitting at every scalar that is not a word scalar and folding each
    /// word with Foundation gives, on text that mixes scripts, marks, digits and
    /// punctuation inside words.
    func testWordsAreFoundationsSplitAndFold() {
        func reference(_ text: String) -> [String] {
            var words: [String] = []
            var word = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if SearchText.isWordScalar(scalar) { word.append(scalar); continue }
                words.append(SearchText.fold(String(word)))
                word = String.UnicodeScalarView()
            }
            words.append(SearchText.fold(String(word)))
            return words.filter { !$0.isEmpty }
        }
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0x80...0x24F, 0x250...0x2FF, 0x300...0x36F, 0x370...0x3FF,
                                             0x400...0x45F, 0x2000...0x206F, 0x4E00...0x4E20, 0x1E00...0x1EFF, 0xFB00...0xFB06]
        let alphabet = ranges.flatMap { $0.compactMap(Unicode.Scalar.init) }
        var random = SplitMix(state: 0xF01D)
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<(1 + Int(random.next() % 24)) {
                // Mostly ASCII letters and spaces, as real text is.
                let pick = random.next() % 4
                let scalar: Unicode.Scalar = pick == 0 ? " " : pick == 1 ? Unicode.Scalar(UInt8(0x41 + random.next() % 58))
                    : alphabet[Int(random.next() % UInt64(alphabet.count))]
                text.append(scalar)
            }
            let string = String(text)
            XCTAssertEqual(SearchText.words(in: string), reference(string), string.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
        }
    }

    /// `distinctWords` recognises a repeated word from its bytes: it must keep what keeping
    /// each word of `words(in:)` the first time a `Set<String>` meets it keeps, in the same
    /// order, on texts of a few hundred words drawn from a vocabulary that mixes scripts,
    /// case, precomposed and decomposed accents (the same word in several spellings), so
    /// that repeats, near-repeats and a growing table all occur.
    func testDistinctWordsKeepEachFoldedWordOnceInOrder() {
        func reference(_ text: String) -> String {
            var seen = Set<String>()
            return SearchText.words(in: text).filter { seen.insert($0).inserted }.joined(separator: " ")
        }
        let stems = ["réseau", "re\u{301}seau", "RÉSEAU", "reseaux", "Straße", "STRASSE", "Øresund", "οδοσ", "ΟΔΟΣ",
                     "hébergement", "Hebergement", "3½", "ﬁchier", "データ", "сеть", "Сеть", "e-mail", "x_y"]
        var random = SplitMix(state: 0xD15C)
        for round in 0..<300 {
            var words: [String] = []
            for _ in 0..<(1 + Int(random.next() % 600)) {
                let stem = stems[Int(random.next() % UInt64(stems.count))]
                // A suffix makes up to some 400 distinct words, past the first table's size.
                words.append(random.next() % 3 == 0 ? stem : stem + String(random.next() % UInt64(1 + round)))
            }
            let text = words.joined(separator: random.next() % 2 == 0 ? " " : ", ")
            XCTAssertEqual(SearchText.distinctWords(in: text), reference(text), "round \(round)")
        }
        XCTAssertEqual(SearchText.distinctWords(in: "Réseau re\u{301}seau RESEAU, Straße straße"), "reseau straße")
        XCTAssertEqual(SearchText.distinctWords(in: " — ,"), "")
    }

    func testWordsAreRunsOfLettersMarksAndDigits() {
        XCTAssertEqual(SearchText.words(in: "d’applications, e-mail (Office 365) x_y — 3½"),
                       ["d", "applications", "e", "mail", "office", "365", "x", "y", "3½"])
    }

    func testIndexWordsKeepTheFirstFieldThatHasThem() {
        var words = SearchWords()
        words.add("Messagerie", to: .title)
        words.add("courriel, messagerie", to: .tags)
        words.add("Webmail", to: .headings)
        words.add("Le webmail et le COURRIEL.", to: .body)
        XCTAssertEqual(words.joined, ["messagerie", "courriel", "webmail", "le et"])
    }

    // MARK: What a body gives the index

    func testBodyWordsComeFromTheTextAsAReaderSeesIt() {
        let source = MarkdownSource(text: """
        ## Accès *distant*

        Le web**mail** et le [portail](https://example.org/privé).

        | Domaine | Qui |
        | --- | --- |
        | Réseau | ICT |

        ```
        smtp.example.org
        ```

        <span title="caché">omis</span> ![Schéma](a.png)
        """, path: "content/services/a.md", firstLine: 1)
        let rendered = MarkdownRenderer.render(source, options: MarkdownOptions())
        XCTAssertEqual(rendered.words, "acces distant le webmail et portail domaine qui reseau ict smtp example org omis schema")
    }

    func testBodyWordsSkipRawHTMLEvenWhenItIsAllowed() {
        let source = MarkdownSource(text: "<div class=\"note\">\n\nTexte <b>gras</b>\n\n</div>\n", path: "content/services/a.md", firstLine: 1)
        let rendered = MarkdownRenderer.render(source, options: MarkdownOptions(unsafeHTML: true))
        XCTAssertEqual(rendered.words, "texte gras")
    }

    // MARK: The index

    static func entries(_ site: GeneratedSite?, _ lang: String = "fr") throws -> [[String: Any]] {
        let text = try XCTUnwrap(site?.text("search/index.\(lang).json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try XCTUnwrap(json["entries"] as? [[String: Any]])
    }

    func testServiceEntryHoldsBodyPacksOptionsComponentsAndTags() throws {
        let (site, diagnostics) = SiteFixture([
            "content/services/messagerie.md": SiteFixture.mailSheet.replacingOccurrences(
                of: "service_level: critical", with: "service_level: critical\ntags: [Courriel, Agenda]")
                + "Le webmail suit la boîte partout.\n",
        ]).generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let mail = try XCTUnwrap(Self.entries(site).first { $0["url"] as? String == "/fr/services/messagerie/" })
        XCTAssertEqual(mail["kind"] as? String, "service")
        XCTAssertEqual(mail["title"] as? String, "Messagerie")
        XCTAssertEqual(mail["summary"] as? String, "Le courriel des agents.")
        XCTAssertEqual(mail["words"] as? [String], [
            "messagerie",
            "courriel agenda communication critique saas",
            "pack standard plus archivage webmail caracteristiques",
            "voir le support suit la boite partout des agents de base 50 go antispam 100 conservation legale",
        ])
    }

    func testPageEntryHoldsItsBody() throws {
        let (site, _) = SiteFixture().generate()
        let support = try XCTUnwrap(Self.entries(site).first { $0["kind"] as? String == "page" })
        XCTAssertEqual(support["title"] as? String, "Support")
        XCTAssertEqual(support["words"] as? [String], ["support", "", "helpdesk", "du lundi au vendredi"])
    }

    func testTranslationEntryHoldsItsOwnWords() throws {
        let (site, _) = CatalogueTests.fixture().generate()
        let hosting = try XCTUnwrap(Self.entries(site, "nl").first { $0["url"] as? String == "/nl/services/hebergement/" })
        XCTAssertEqual(hosting["words"] as? [String], ["hosting van toepassingen", "servers linux communicatie standaard paas",
                                                       "dagelijkse back ups", "beheerde"])
    }

    /// A translation that gives its title and lends the summary, or the reverse: each
    /// text's language is in the entry, so a result never reads one with the other's voice.
    func testEntriesGiveTheLanguageOfATitleAndSummaryApart() throws {
        for (nl, lang, summaryLang) in [("---\ntitle: E-mail\n---\n", nil, "fr" as String?),
                                        ("---\nsummary: De mail van het personeel.\n---\n", "fr" as String?, "nl"),
                                        ("---\ntitle: E-mail\nsummary: De mail van het personeel.\n---\n", nil, nil)] {
            let (site, diagnostics) = SiteFixture(["content/services/messagerie.nl.md": nl]).generate()
            XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
            let mail = try XCTUnwrap(Self.entries(site, "nl").first { $0["url"] as? String == "/nl/services/messagerie/" })
            XCTAssertEqual(mail["lang"] as? String, lang, nl)
            XCTAssertEqual(mail["summary_lang"] as? String, summaryLang, nl)
        }
    }

    // MARK: Ranking, by the theme's script

    /// Four services in catalogue order D, C, B, A; "sauvegarde" is in A's title, B's
    /// tags, C's headings and D's body.
    static func rankingFixture() -> SiteFixture {
        func sheet(_ title: String, weight: Int, tags: String = "[]", body: String) -> String {
            "---\ntitle: \(title)\nsummary: Un service.\ncategory: communication\ndelivery: PaaS\nservice_level: standard\ntags: \(tags)\nweight: \(weight)\n---\n\(body)\n"
        }
        return SiteFixture([
            "content/services/d.md": sheet("Dépôt", weight: 1, body: "On y garde une sauvegarde."),
            "content/services/c.md": sheet("Coffre", weight: 2, body: "## Sauvegardes\n\nChaque nuit."),
            "content/services/b.md": sheet("Bureau", weight: 3, tags: "[Sauvegarde]", body: "Texte."),
            "content/services/a.md": sheet("Sauvegarde en ligne", weight: 4, body: "Texte."),
        ])
    }

    func testResultsRankTitleThenTagsThenHeadingsThenBody() throws {
        let (site, _) = Self.rankingFixture().generate()
        let index = try XCTUnwrap(site?.text("search/index.fr.json"))
        XCTAssertEqual(try Self.search(index, ["sauvegarde", "SAUVEGARDÉ", "webmail", "garde", "sauvegarde nuit", "zzqxw"]), [
            ["Sauvegarde en ligne", "Bureau", "Coffre", "Dépôt"],
            ["Sauvegarde en ligne", "Bureau", "Coffre", "Dépôt"],
            ["Messagerie"],
            // Inside a word too ("sauvegarde"), and the field still ranks first.
            ["Sauvegarde en ligne", "Bureau", "Coffre", "Dépôt"],
            ["Coffre"],
            [],
        ])
    }

    func testScriptSplitsAndFoldsAsTheIndexDoes() throws {
        let samples = ["Hébergement d’applications", "HÉBERGEMENT", "re\u{301}seau", "Straße ΟΔΟΣ Ærø", "İstanbul", "ﬁchier Ⅻ",
                       "e-mail: x_y@z.be", "50 Go, 3½ TB", "日本語のテキスト", "हिन्दी", "Ǆemal ǅ", "tab\tCR\rNEL\u{85}BOM\u{FEFF}",
                       "ÅNGSTRÖM Å", "Œuvre ŒUVRE", "Ɱ Ⱥ"]
        let script = try Self.scriptCore() + "\nprocess.stdout.write(JSON.stringify(\(Self.jsonArray(samples)).map(searchWords)));\n"
        let output = try Self.node(script)
        let fromScript = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String]])
        XCTAssertEqual(fromScript, samples.map { SearchText.words(in: $0) })
    }

    // MARK: Helpers

    /// The part of `app.js` between its `search-core` markers.
    static func scriptCore() throws -> String {
        let url = SiteFixture.repositoryRoot.appendingPathComponent("templates/assets/app.js")
        let text = try String(contentsOf: url, encoding: .utf8)
        let begin = try XCTUnwrap(text.range(of: "// search-core:begin"))
        let end = try XCTUnwrap(text.range(of: "// search-core:end"))
        return String(text[begin.lowerBound..<end.lowerBound])
    }

    /// The titles the script lists for each query, in order.
    static func search(_ index: String, _ queries: [String]) throws -> [[String]] {
        let script = try scriptCore() + """

        var entries = searchEntries(\(index));
        process.stdout.write(JSON.stringify(\(jsonArray(queries)).map(function (q) {
          return searchFor(entries, q).map(function (e) { return e.title; });
        })));

        """
        let output = try node(script)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String]])
    }

    static func jsonArray(_ strings: [String]) -> String {
        var w = JSONWriter(indent: nil)
        w.array { w in for s in strings { w.string(s) } }
        return String(decoding: w.finished, as: UTF8.self)
    }

    /// Runs `script` in Node (Debian's `nodejs`, which `.ci/run` installs).
    static func node(_ script: String) throws -> String {
        guard let node = ["/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("Node.js is not installed (Debian: nodejs)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-search-\(UUID().uuidString).js")
        try Data(script.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "node failed")
        return String(decoding: data, as: UTF8.self)
    }
}
