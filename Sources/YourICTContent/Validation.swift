/// Small shared checks on ids, addresses and links.
public enum Validation {
    /// Names that are taken by the site's own outputs under `/<lang>/`.
    public static let reservedSlugs: Set<String> = [
        "catalogue", "services", "incidents", "feed.xml", "assets", "api", "badges", "search", "index", "sla", "404",
    ]

    package static let idHint = "use lowercase letters, digits, hyphens and underscores, starting with a letter or digit (e.g. `messagerie`, `web-hosting`)"

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
        // On UTF-8 bytes: digits, a leading `+`, and separators (space, `/`, `.`, `-`,
        // parentheses, no-break space U+00A0 = C2 A0); anything else is not a phone number.
        var out: [UInt8] = Array("tel:".utf8)
        var digits = 0
        var bytes = phone.utf8.makeIterator()
        var first = true
        while let b = bytes.next() {
            defer { first = false }
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(b); digits += 1
            case UInt8(ascii: "+") where first: out.append(b)
            case UInt8(ascii: " "), UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"): continue
            case 0xC2 where bytes.next() == 0xA0: continue
            default: return nil
            }
        }
        guard digits >= 3 else { return nil }
        return String(decoding: out, as: UTF8.self)
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
