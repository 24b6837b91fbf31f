/// Small shared checks on ids, addresses and links.
public enum Validation {
    /// Names that are taken by the site's own outputs under `/<lang>/`.
    public static let reservedSlugs: Set<String> = [
        "catalogue", "services", "incidents", "feed.xml", "assets", "api", "badges", "search", "index", "sla", "404",
    ]

    static let idHint = "use lowercase letters, digits, hyphens and underscores, starting with a letter or digit (e.g. `messagerie`, `web-hosting`)"

    /// Ids become URL segments and file names: lowercase ASCII, digits and hyphens only,
    /// so there is no `..`, no `/`, and no two ids that differ only in case.
    public static func isSafeID(_ id: String) -> Bool {
        guard let first = id.utf8.first, id.utf8.count <= 80 else { return false }
        guard (first >= 97 && first <= 122) || (first >= 48 && first <= 57) else { return false }
        return id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }
    }

    public static func isEmail(_ s: String) -> Bool {
        // ASCII addresses (nearly all) on bytes: one `@`, a dot after it, no blank or quote.
        if s.utf8.allSatisfy({ $0 < 128 }) {
            var at = -1, dotAfter = false, i = 0
            for b in s.utf8 {
                switch b {
                case 64: if at >= 0 { return false }; at = i
                case 46: if at >= 0 { dotAfter = true }
                case 0...32, 127, 60, 62, 34: return false
                default: break
                }
                i += 1
            }
            return at > 0 && dotAfter
        }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }

    /// `tel:` URI for a phone number written for humans (`+32 2 501 05 55`, `02/ 501 04 11`).
    public static func telURI(_ phone: String) -> String? {
        var digits = ""
        for (i, c) in phone.enumerated() {
            if c.isASCII, c.isNumber { digits.append(c) }
            else if c == "+" && i == 0 { digits.append(c) }
            else if c == " " || c == "/" || c == "." || c == "-" || c == "(" || c == ")" || c == "\u{a0}" { continue }
            else { return nil }
        }
        guard digits.filter(\.isNumber).count >= 3 else { return nil }
        return "tel:" + digits
    }

    /// Links users may put in configuration and that templates may print in `href`:
    /// http(s), mailto, tel, fragment and relative paths. Never `javascript:` or `data:`.
    public static func isSafeLink(_ url: String) -> Bool {
        let lower = url.trimmingWhitespace.lowercased()
        if let colon = lower.firstIndex(of: ":") {
            let scheme = lower[..<colon]
            if scheme.contains("/") || scheme.contains("?") || scheme.contains("#") { return true }
            return ["http", "https", "mailto", "tel"].contains(String(scheme))
        }
        return !lower.contains(where: { $0.isWhitespace && $0 != " " })
    }
}
