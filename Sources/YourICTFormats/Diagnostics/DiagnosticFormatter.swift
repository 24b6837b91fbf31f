import Foundation
import YourICTSupport

/// Turns diagnostics into the three forms users and CI read: compiler-style text,
/// one JSON object per line, and GitHub Actions annotations.
public struct DiagnosticFormatter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, github
    }

    public var format: Format
    /// Returns the text of a line of a source file, to quote it under the message.
    public var sourceLine: @Sendable (_ path: String, _ line: Int) -> String?

    public init(format: Format, sourceLine: @escaping @Sendable (String, Int) -> String? = { _, _ in nil }) {
        self.format = format
        self.sourceLine = sourceLine
    }

    public func format(_ diagnostic: Diagnostic) -> String {
        var diagnostic = diagnostic
        diagnostic.message = Self.shortened(diagnostic.message)
        diagnostic.hint = diagnostic.hint.map(Self.shortened)
        switch format {
        case .text: return text(diagnostic)
        case .json: return json(diagnostic)
        case .github: return github(diagnostic)
        }
    }

    /// The longest message printed whole: a 1 MB link quoted in a message (twice) made a
    /// 2 MB line of a CI log. Longer, its start and a count of the rest.
    static let longestMessage = 1_000

    static func shortened(_ text: String) -> String {
        // Bytes first (the usual short message costs no count of characters).
        guard text.utf8.count > longestMessage, text.count > longestMessage else { return text }
        let kept = String(text.prefix(longestMessage))
        return kept + "… (\(text.count - kept.count) more characters)"
    }

    /// The diagnostics as printed: one message repeated in one file (a heading written two
    /// million times gave two million warnings, 367 MB of log) at most `repeats` times, then
    /// one line saying how many more there are.
    public static func capped(_ diagnostics: [Diagnostic], repeats: Int = 10) -> [Diagnostic] {
        struct Key: Hashable { var path: String?; var severity: Diagnostic.Severity; var message: String }
        func key(_ d: Diagnostic) -> Key { Key(path: d.location?.path, severity: d.severity, message: d.message) }
        var counts: [Key: Int] = [:]
        for d in diagnostics { counts[key(d), default: 0] += 1 }
        guard counts.values.contains(where: { $0 > repeats }) else { return diagnostics }
        var seen: [Key: Int] = [:]
        var out: [Diagnostic] = []
        for d in diagnostics {
            let k = key(d)
            let n = seen[k, default: 0] + 1
            seen[k] = n
            if n <= repeats { out.append(d) }
            if n == repeats, let total = counts[k], total > repeats {
                let place = d.location.map { " in \($0.path)" } ?? ""
                out.append(Diagnostic(d.severity, "\(total - repeats) more of this \(d.severity.rawValue)\(place), not shown: \(d.message)", at: nil))
            }
        }
        return out
    }

    public func summary(of diagnostics: [Diagnostic]) -> String? {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        guard !diagnostics.isEmpty else { return nil }
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning"))"
    }

    private func text(_ d: Diagnostic) -> String {
        var out = ""
        if let loc = d.location { out += "\(Self.printable(loc.description)): " }
        out += "\(d.severity.rawValue): \(Self.printable(d.message))"
        if let loc = d.location, let line = sourceLine(loc.path, loc.line) {
            // 240 characters of the line; on a longer line (a monitoring export is one),
            // those around the column, so that the caret points at what is wrong.
            let width = 240
            var excerpt = String(line.prefix(width))
            var caretColumn = loc.column
            if loc.column > width, case let scalars = Array(line.unicodeScalars), loc.column <= scalars.count + 1 {
                let start = loc.column - 1 - width / 2
                excerpt = "…" + String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + width)]))
                caretColumn = width / 2 + 2
            }
            let shown = Self.printable(excerpt.replacingOccurrences(of: "\t", with: " "))
            caretColumn = min(caretColumn, shown.unicodeScalars.count + 1)
            out += "\n  \(loc.line) | \(shown)"
            out += "\n  \(String(repeating: " ", count: String(loc.line).count)) | "
                + String(repeating: " ", count: caretColumn - 1) + "^"
        }
        if let hint = d.hint { out += "\n  hint: \(Self.printable(hint))" }
        return out
    }

    /// Text for a terminal or a CI log: control characters that came from the content
    /// (escape sequences, line breaks in a quoted value) are shown as `<U+001B>`, so that
    /// they can neither drive the terminal nor start a line that reads as a diagnostic.
    static func printable(_ s: String) -> String {
        func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 }
        guard s.unicodeScalars.contains(where: { isControl($0.value) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if isControl(scalar.value) {
                out.append(contentsOf: "<U+\(String(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)))>".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private func json(_ d: Diagnostic) -> String {
        var fields: [String] = ["\"severity\":\(JSONText.quote(d.severity.rawValue))"]
        if let loc = d.location {
            fields.append("\"file\":\(JSONText.quote(loc.path))")
            fields.append("\"line\":\(loc.line)")
            fields.append("\"column\":\(loc.column)")
        }
        fields.append("\"message\":\(JSONText.quote(d.message))")
        if let hint = d.hint { fields.append("\"hint\":\(JSONText.quote(hint))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private func github(_ d: Diagnostic) -> String {
        // Workflow commands: properties escape %, CR, LF, ':' and ','; the message escapes %, CR, LF.
        func escapeData(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25")
                .replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ s: String) -> String {
            escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        var props: [String] = []
        if let loc = d.location {
            props.append("file=\(escapeProperty(loc.path))")
            props.append("line=\(loc.line)")
            props.append("col=\(loc.column)")
        }
        var message = d.message
        if let hint = d.hint { message += "\n" + hint }
        let head = props.isEmpty ? "::\(d.severity.rawValue)" : "::\(d.severity.rawValue) " + props.joined(separator: ",")
        return head + "::" + escapeData(message)
    }
}
