import ArgumentParser
import Foundation
import YourICTMonitoring
import YourICTSupport

/// Benchmarks of yourict, run on a release build (`swift run -c release yourict-bench …`).
/// Figures come from this command's output, never from timed tests.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yourict-bench",
        abstract: "Reproducible benchmarks of yourict (use a release build).",
        subcommands: [MonitoringBench.self, BuildBench.self, ServeBench.self])
}

/// Peak resident memory of this process, in bytes.
func peakMemory() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }

struct MonitoringBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitoring",
        abstract: "Generate a Prometheus query_range export and measure ingestion speed and memory.")

    @Option(help: "Size of the generated export, in MB.")
    var megabytes = 50
    @Option(help: "Number of timed runs (the median is reported).")
    var runs = 5
    @Option(help: "Folder for the generated data (default: a temporary folder).")
    var directory: String?
    @Flag(help: "Make every other series probe_duration_seconds (response times, as the blackbox exporter writes them).")
    var latency = false

    func run() throws {
        let base = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("yourict-bench-monitoring")
        let folder = base.appendingPathComponent("content/monitoring")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("export.json")
        let size = try generate(to: file, bytes: megabytes * 1_000_000)
        print("Generated \(mb(size)) Prometheus export at \(file.path)")

        // A build's reference time just after the export's last sample (a build right
        // after the export): response times keep the hours the figures then need.
        let reference = Timestamp(millis: (Self.firstSample + Int64(Self.samplesPerSeries) * 60) * 1000)
        var rates: [Double] = []
        var summary: MonitoringIngest.Summary?
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            summary = MonitoringIngest.read(folder: folder, reference: reference)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(size) / 1_000_000 / seconds)
        }
        guard let summary else { return }
        if !summary.diagnostics.isEmpty { print("diagnostics: \(summary.diagnostics.map(\.message))") }
        print("Read \(summary.series) series, \(summary.samples) samples, kept \(summary.runs) runs"
              + (latency ? " and \(summary.latencyHours) hours of response times (\(summary.latencyEntries) bucket counts)" : ""))
        print(String(format: "Monitoring ingestion: %.0f MB/s (median of %d runs, min %.0f, max %.0f)",
                     median(rates), runs, rates.min()!, rates.max()!))
        print("Peak memory: \(mb(peakMemory()))")
    }

    static let firstSample: Int64 = 1_790_812_800
    static let samplesPerSeries = 11_000

    /// blackbox-like probe_success series of 11,000 samples at 60 s each (about 7.6 days
    /// per series; more series fill the size asked for), an outage sample every ~2,000,
    /// in the exact layout Prometheus writes. Real exports with fewer, longer series, or
    /// with flapping probes (more runs to keep), read at somewhat different rates.
    private func generate(to url: URL, bytes target: Int) throws -> Int {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        func emit(_ s: String) {
            buffer.append(contentsOf: s.utf8)
            if buffer.count >= 1 << 20 {
                handle.write(Data(buffer))
                written += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        emit(#"{"status":"success","data":{"resultType":"matrix","result":["#)
        let start = Self.firstSample
        var seriesIndex = 0
        var state: UInt64 = 0x2545F4914F6CDD1D
        while written + buffer.count < target {
            if seriesIndex > 0 { emit(",") }
            // With --latency, series 2n and 2n + 1 are one probe's success and duration.
            let isDuration = latency && seriesIndex % 2 == 1
            let probe = latency ? seriesIndex / 2 : seriesIndex
            let name = isDuration ? "probe_duration_seconds" : "probe_success"
            emit(#"{"metric":{"__name__":"\#(name)","instance":"https://service-\#(probe).example.org/","job":"blackbox"},"values":["#)
            for i in 0..<Self.samplesPerSeries {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                if isDuration {
                    // 40–240 ms, one in fifty up to 2 s; nanoseconds, as Go prints seconds.
                    let nanos = (state % 50 == 0 ? 240_000_000 + state % 1_760_000_000 : 40_000_000 + state % 200_000_000)
                    let fraction = String(nanos % 1_000_000_000)
                    let seconds = "\(nanos / 1_000_000_000)." + String(repeating: "0", count: 9 - fraction.count) + fraction
                    emit("\(i == 0 ? "" : ",")[\(start + Int64(i) * 60),\"\(seconds)\"]")
                } else {
                    let down = state % 2_000 == 0
                    emit("\(i == 0 ? "" : ",")[\(start + Int64(i) * 60),\"\(down ? 0 : 1)\"]")
                }
            }
            emit("]}")
            seriesIndex += 1
        }
        emit("]}}")
        handle.write(Data(buffer))
        return written + buffer.count
    }
}
