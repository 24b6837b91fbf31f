import CYourICTSystem
import Foundation

/// Prints how long each build stage took when `YOURICT_TIMINGS` is set: wall time and
/// the process's CPU time (which other load on the machine disturbs less), and the process's peak memory so far. For finding
/// where time goes; never part of the output.
package struct StageTimer {
    private let enabled = EnvironmentFlag.isOn("YOURICT_TIMINGS")
    private var lastWall = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageTimer.cpuMicroseconds()

    package init() {}

    package mutating func lap(_ stage: String) {
        guard enabled else { return }
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.cpuMicroseconds()
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let line = "  " + stage.padding(toLength: 18, withPad: " ", startingAt: 0)
            + String(format: "%8.1f ms wall %8.1f ms cpu %7.0f MB peak %7.0f MB now %7.0f MB live\n", Double(wall - lastWall) / 1e6, Double(cpu - lastCPU) / 1e3,
                     Double(usage.ru_maxrss) / 1024, Double(Self.residentBytes()) / 1_048_576, Double(Self.liveBytes()) / 1_048_576)
        // A closed pipe loses the line, it does not stop the build.
        write(line, to: .standardError)
        lastWall = wall
        lastCPU = cpu
    }

    /// The process's resident memory now (`/proc/self/statm`), 0 where there is none.
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bytes allocated with malloc and not yet freed, in all arenas: what the process holds
    /// now, where the peak also counts what was freed since.
    private static func liveBytes() -> Int {
        Int(yourict_live_heap_bytes())
    }

    private static func cpuMicroseconds() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }
}
