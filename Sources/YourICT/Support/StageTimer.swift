import Foundation

/// Prints how long each build stage took when `YOURICT_TIMINGS` is set: for finding
/// where time goes, never part of the output.
struct StageTimer {
    private let enabled = ProcessInfo.processInfo.environment["YOURICT_TIMINGS"] != nil
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func lap(_ stage: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data(String(format: "  %-24@ %7.1f ms\n", stage, Double(now - last) / 1e6).utf8))
        last = now
    }
}
