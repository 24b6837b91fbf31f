/// A value as templates see it, classified once when a view stores it: rendering then
/// switches over the case instead of casting an `Any` at every tag.
enum TemplateValue {
    case string(String)
    case bool(Bool)
    case int(Int)
    case context(ViewContext)
    case contexts([ViewContext])
    case strings([String])
    /// A table of strings (the assets' URLs): its keys are names.
    case stringTable([String: String])
    case dictionary([String: Any])
    case list([Any])
    case lambda(TemplateLambda)
    /// Anything else (a `Double`, a date…): shown as `String(describing:)`, has no names.
    case other(Any)

    /// `nil` for an absent optional: it is no value, as if never set.
    init?(_ value: Any) {
        // Exact type checks first: a conditional cast to a container type converts
        // element by element.
        let type = Swift.type(of: value)
        if type == String.self { self = .string(value as! String) }
        else if type == ViewContext.self { self = .context(value as! ViewContext) }
        else if type == Bool.self { self = .bool(value as! Bool) }
        else if type == [ViewContext].self { self = .contexts(value as! [ViewContext]) }
        else if type == Int.self { self = .int(value as! Int) }
        else if type == [String].self { self = .strings(value as! [String]) }
        else if type == [String: String].self { self = .stringTable(value as! [String: String]) }
        else if type == [String: Any].self { self = .dictionary(value as! [String: Any]) }
        else if type == [Any].self { self = .list(value as! [Any]) }
        else if type == Substring.self { self = .string(String(value as! Substring)) }
        else if let v = value as? TemplateValue { self = v }
        else if let lambda = value as? TemplateLambda { self = .lambda(lambda) }
        else if let optional = value as? OptionalValue {
            guard let wrapped = optional.wrapped, let v = TemplateValue(wrapped) else { return nil }
            self = v
        }
        else if let table = value as? [String: Any] { self = .dictionary(table) }
        else if let list = value as? [Any] { self = .list(list) }
        else { self = .other(value) }
    }

    /// The value as it was stored.
    var any: Any {
        switch self {
        case .string(let v): return v
        case .bool(let v): return v
        case .int(let v): return v
        case .context(let v): return v
        case .contexts(let v): return v
        case .strings(let v): return v
        case .stringTable(let v): return v
        case .dictionary(let v): return v
        case .list(let v): return v
        case .lambda(let v): return v
        case .other(let v): return v
        }
    }
}

/// Optionals stored as `Any` (in a context literal): unwrapped when classified.
private protocol OptionalValue {
    var wrapped: Any? { get }
}

extension Optional: OptionalValue {
    fileprivate var wrapped: Any? { self.map { $0 as Any } }
}

/// A Mustache lambda: code a view offers in place of a value.
///
/// As an interpolation (`{{name}}`) it is called without text; as a section
/// (`{{#name}}…{{/name}}`) with the section's text as written. What it returns is a
/// template, rendered in the current context (with the default delimiters for an
/// interpolation, the section's for a section); the result of `{{name}}` is then
/// escaped. `nil` renders nothing. As an inverted section it is a value like any other
/// (the section is not shown). The spec's `~lambdas` module, docs/theme.md.
public struct TemplateLambda {
    let body: (String) -> String?

    public init(_ body: @escaping (String) -> String?) { self.body = body }

    public init(_ body: @escaping () -> String?) { self.body = { _ in body() } }
}
