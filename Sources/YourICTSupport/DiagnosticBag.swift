import Synchronization

/// Collects diagnostics from every stage, possibly from several threads at once.
public final class DiagnosticBag: Sendable {
    private let items = Mutex<[Diagnostic]>([])

    public init() {}

    public func add(_ diagnostic: Diagnostic) {
        items.withLock { $0.append(diagnostic) }
    }

    public func add(contentsOf diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        items.withLock { $0.append(contentsOf: diagnostics) }
    }

    public func error(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        add(.error(message, at: location, hint: hint))
    }

    public func warning(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        add(.warning(message, at: location, hint: hint))
    }

    public var all: [Diagnostic] { items.withLock { $0 } }

    public var hasErrors: Bool { all.hasErrors }
}
