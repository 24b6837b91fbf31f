import Foundation

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
/// each file once, e.g. a crash file or the seed corpus under a debugger.
@main
enum FuzzMain {
    static func main() {
        #if YOURICT_FUZZ
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
        #else
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            FileHandle.standardError.write(Data("usage: yourict-fuzz FILE…  (replays fuzz inputs; see docs/fuzzing.md)\n".utf8))
            exit(2)
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("\(path): cannot read\n".utf8))
                exit(2)
            }
            let clock = ContinuousClock()
            let start = clock.now
            FuzzEntryPoints.run(Array(data))
            print("\(path): ok in \(clock.now - start)")
        }
        #endif
    }
}
