import Foundation

/// The fuzzing binary: one executable for the four parser families, which one chosen by `LODESTAR_FUZZ_TARGET`
/// (`webhooks`, `ndjson`, `csv`, `survey-yaml`). One binary rather than four keeps Package.swift to one target and the
/// instrumented build to one link; libFuzzer only follows the coverage the chosen family reaches, so nothing is lost.
///
/// Built by `scripts/fuzz.sh` with `-Xswiftc -DLODESTAR_FUZZ -Xswiftc -sanitize=fuzzer`, libFuzzer drives
/// `LLVMFuzzerTestOneInput`. Built plainly (`swift build`), it replays inputs given as files, so a crash found by the
/// fuzzer can be reproduced in an ordinary debug build: `LODESTAR_FUZZ_TARGET=csv swift run LodestarFuzz crash-…`.
@main
struct LodestarFuzz {
    static func main() {
        #if LODESTAR_FUZZ
        // SwiftPM links executables with `--defsym main=LodestarFuzz_main`, so this entry point must exist; depending on
        // the linker's choice libFuzzer's own `main` or this one runs, and both hand the command line to libFuzzer.
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, lodestarFuzzOneInput))
        #else
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            print(Self.usage)
            return
        }
        let target = FuzzTarget.selected()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                exit(1)
            }
            data.withUnsafeBytes { target.run(UnsafeBufferPointer(start: $0.baseAddress?.assumingMemoryBound(to: UInt8.self), count: $0.count)) }
            print("\(file): no crash")
        }
        #endif
    }

    static let usage = """
        LodestarFuzz: fuzz targets for Lodestar's input parsers (webhooks, ndjson, csv, survey-yaml).
        Fuzz with:   scripts/fuzz.sh [TARGET|all] [SECONDS]
        Replay:      LODESTAR_FUZZ_TARGET=TARGET swift run LodestarFuzz FILE...
        """
}

#if LODESTAR_FUZZ
/// libFuzzer's driver, for the entry point above (declared here because no C header is imported for it).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The chosen family, read once: the environment does not change while libFuzzer runs.
let fuzzTarget = FuzzTarget.selected()

/// What libFuzzer calls with every input; any crash inside is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
func lodestarFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
#endif
