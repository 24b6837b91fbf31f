import Foundation

/// Collects diagnostics from every stage, possibly from several threads at once.
public final class DiagnosticBag: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Diagnostic] = []

    public init() {}

    public func add(_ diagnostic: Diagnostic) {
        lock.lock()
        items.append(diagnostic)
        lock.unlock()
    }

    public func add(contentsOf diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        lock.lock()
        items.append(contentsOf: diagnostics)
        lock.unlock()
    }

    public func error(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        add(.error(message, at: location, hint: hint))
    }

    public func warning(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        add(.warning(message, at: location, hint: hint))
    }

    public var all: [Diagnostic] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }

    public var hasErrors: Bool { all.hasErrors }
}
