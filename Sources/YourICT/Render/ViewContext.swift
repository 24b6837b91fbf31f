/// A template context: a dictionary that swift-mustache reads without reflection.
/// Values are strings, booleans, nested contexts and arrays of contexts.
public typealias ViewContext = [String: Any]

/// What every page of one language shares: built once per language and referenced
/// by each page's context, never copied into it.
struct LanguageContext {
    let lang: String
    let strings: [String: String]
    let format: LocaleFormat
    let shared: ViewContext
}

extension Optional where Wrapped == String {
    /// Absent or empty text is absent, so `{{#x}}…{{/x}}` hides empty fields.
    var nonEmpty: String? {
        guard let s = self, !s.isEmpty else { return nil }
        return s
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
