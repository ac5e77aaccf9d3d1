import Foundation
import LodestarTestSupport
import Testing

/// How the CLI tests run a child: both outputs whole, however much it writes to either and however often a signal
/// interrupts the reads (the test run used to die of EINTR in `readDataToEndOfFile()`, or hang on a full stderr).
struct ChildProcessTests {
    static let megabyte = 1 << 20

    @Test(.timeLimit(.minutes(1)))
    func collectsAMegabyteOnEachOutputWhileSignalsArrive() throws {
        // Given a child that writes 1 MB to stderr before anything to stdout (reading stdout to its end first would
        // wait forever), in eight pieces with pauses so the reads block often, while SIGALRM arrives at this process
        // and at the reading thread. (`yes` is told to be quiet: where the test process ignores SIGPIPE, as SwiftNIO makes
        // it, the child inherits that and `yes` reports the closed pipe on stderr instead of dying of it.)
        let piece = Self.megabyte / 8
        let script = """
            i=0; while [ $i -lt 8 ]; do yes err 2>/dev/null | head -c \(piece) >&2; sleep 0.02; i=$((i+1)); done
            i=0; while [ $i -lt 8 ]; do yes out 2>/dev/null | head -c \(piece); sleep 0.02; i=$((i+1)); done
            """
        let storm = SignalStorm()
        let output = try storm.whileTargeted { try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script]) }
        storm.stop()
        // Then both arrive whole
        #expect(output.status == 0)
        #expect(output.err.count == Self.megabyte)
        #expect(output.out.count == Self.megabyte)
        #expect(output.err == Data(String(repeating: "err\n", count: Self.megabyte / 4).utf8))
        #expect(output.out == Data(String(repeating: "out\n", count: Self.megabyte / 4).utf8))
        #expect(storm.signalsSent > 10, "signals arrived during the run")
    }

    @Test(.timeLimit(.minutes(1)))
    func collectsBothOutputsOfTheLodestarBinaryUnderSignals() throws {
        let cli = try CLI()
        let storm = SignalStorm()
        let results = try storm.whileTargeted { try (0..<5).map { _ in try cli.run(["survey", "open", "--month", "2026-13"]) } }
        storm.stop()
        for result in results {
            #expect(result.status != 0)
            #expect(result.err.contains("'2026-13' is not a valid month"))
        }
    }

    @Test func themesReadsAWholeLargeStandardInputThroughAPipe() throws {
        // Given 4,000 answers (about 200 KB, several pipe buffers) piped into `themes -`
        let script = #"seq 4000 | sed 's/.*/answer &: the builds are slow and CI waits on runners/' | "$0" themes - --format json --semantic off"#
        let output = try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script, CLI.binary.path])
        // Then every line gets a theme
        #expect(output.status == 0, "\(String(decoding: output.err, as: UTF8.self))")
        let lines = String(decoding: output.out, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4000)
        #expect(lines.last?.contains(#""line":4000"#) == true)
    }
}
