import Foundation
import YourICTSupport

/// libFuzzer calls this with each input (docs/fuzzing.md): the first byte picks the
/// stage (`F` content file, `Y` site.yaml, `M` Markdown, `J` monitoring JSON).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzEntryPoints.run(input)
    return 0
}

#if YOURICT_FUZZ
/// libFuzzer's driver, for programs that keep their own `main`. SwiftPM renames an
/// executable's entry point and points `main` at it when linking, so libFuzzer's own
/// `main` cannot be used; this calls the same driver with the same arguments.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

/// Built with `-DYOURICT_FUZZ` and `-sanitize=fuzzer` (docs/fuzzing.md), this runs
/// libFuzzer. Built plainly (`swift build`), it replays inputs: `yourict-fuzz FILE…` runs
/// each file once, e.g. a crash file or the seed corpus under a debugger; and
/// `yourict-fuzz --yaml-differential CASES [SEED]` runs that many seeded YAML documents
/// through the fast path and Yams (the tests run 100,000 of them).
@main
enum FuzzMain {
    static func main() {
        #if YOURICT_FUZZ
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
        #else
        let paths = CommandLine.arguments.dropFirst()
        if paths.first == "--yaml-differential" {
            let arguments = Array(paths.dropFirst())
            guard let cases = arguments.first.flatMap({ Int($0) }), cases > 0 else { usage() }
            let seed = arguments.count > 1 ? UInt64(arguments[1]) : 1
            guard let seed else { usage() }
            exit(yamlDifferential(cases: cases, seed: seed) ? 0 : 1)
        }
        if paths.isEmpty { usage() }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                write("\(path): cannot read\n", to: .standardError)
                exit(2)
            }
            let clock = ContinuousClock()
            let start = clock.now
            FuzzEntryPoints.run(Array(data))
            print("\(path): ok in \(clock.now - start)")
        }
        #endif
    }

    static func usage() -> Never {
        write("""
            usage: yourict-fuzz FILE…                          replays fuzz inputs
                   yourict-fuzz --yaml-differential CASES [SEED]  the YAML fast path against Yams
            (see docs/fuzzing.md)

            """, to: .standardError)
        exit(2)
    }

    /// Runs `cases` seeded documents through `YAMLDifferential.check`, printing progress
    /// every 250,000 (flushed, for a run read while it goes) and each disagreement, with its
    /// case number to replay it.
    static func yamlDifferential(cases: Int, seed: UInt64) -> Bool {
        var generator = YAMLFuzzCases(seed: seed)
        var fast = 0, disagreements = 0
        let clock = ContinuousClock()
        let start = clock.now
        func say(_ line: String) {
            write(line + "\n", to: .standardOutput)
        }
        for n in 0..<cases {
            let text = generator.document()
            switch YAMLDifferential.check(text) {
            case .agreed: fast += 1
            case .deferred: break
            case .disagreed(let difference):
                disagreements += 1
                say("case \(n): \(text.debugDescription)\n  \(difference)")
            }
            if (n + 1) % 250_000 == 0 {
                say("\(n + 1) cases, \(clock.now - start): the fast path accepted \(fast) (each read the same by Yams), disagreements \(disagreements)")
            }
        }
        say("\(cases) cases (seed \(seed)) in \(clock.now - start): the fast path accepted \(fast) and deferred \(cases - fast - disagreements), disagreements \(disagreements)")
        return disagreements == 0
    }
}
