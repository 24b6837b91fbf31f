import YourICTFormats
import YourICTContent

/// `sitemap.xml` (with hreflang alternates) and `robots.txt`.
enum SiteMaps {
    static func files(content: ContentSet, urls: URLBuilder, plan: SitePlan) -> [OutputFile] {
        let facets = plan.facets
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">

        """
        let languages = content.site.languages
        for job in plan.pages {
            guard let route = job.route else { continue }
            xml += "  <url>\n    <loc>\(XML.escape(urls.absolute(route, lang: job.lang)))</loc>\n"
            let alternates = languages.filter { facets.exists(route, lang: $0) }
            if alternates.count > 1 {
                for other in alternates {
                    xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(other)\" href=\"\(XML.escape(urls.absolute(route, lang: other)))\"/>\n"
                }
                if alternates.contains(languages[0]) {
                    xml += "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"\(XML.escape(urls.absolute(route, lang: languages[0])))\"/>\n"
                }
            }
            xml += "  </url>\n"
        }
        xml += "</urlset>\n"
        let robots = "User-agent: *\nAllow: /\n\nSitemap: \(urls.absolute(path: "sitemap.xml"))\n"
        return [OutputFile(path: "sitemap.xml", text: xml), OutputFile(path: "robots.txt", text: robots)]
    }
}

/// Escaping for XML text and attributes.
enum XML {
    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        out.appendEscaping(s, escapes)
        return String(decoding: out, as: UTF8.self)
    }

    /// Control characters other than tab and line ends are not allowed in XML 1.0: dropped.
    private static let escapes = ByteEscapes(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"],
                                             bytes: Dictionary(uniqueKeysWithValues: (0..<0x20).filter { ![9, 10, 13].contains($0) }.map { (UInt8($0), "") }))
}
