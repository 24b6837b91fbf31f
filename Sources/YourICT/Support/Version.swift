/// The version of yourict, printed by `--version` and part of the build-cache key.
public enum YourICTVersion {
    public static let current = "0.1.0"
}
