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
