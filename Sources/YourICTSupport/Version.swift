import Foundation

/// The version of yourict, printed by `--version` and part of the build-cache key.
public enum YourICTVersion {
    public static let current = "0.1.0"
}

/// yourict's own switches in the environment (`YOURICT_TIMINGS`, …): on when set to
/// anything but the empty string or `0`, as users expect of `FOO=0` and `FOO=`.
public enum EnvironmentFlag {
    public static func isOn(_ name: String, _ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces) else { return false }
        return !value.isEmpty && value != "0"
    }
}
