#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LodestarCore
import LodestarTestSupport
import Testing

/// The reader behind `themes -` and `ingest -`: a whole input however often signals interrupt it, and any other
/// failure as an error, never a trap.
struct FileDescriptorReaderTests {
    /// A pipe whose writing end a thread fills with `data` in small pieces, pausing now and then so the reader blocks
    /// in read(2) often; the writing end is closed at the end.
    static func pipeFed(with data: Data, readEndFlags: Int32 = 0) throws -> Int32 {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        if readEndFlags != 0 { _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | readEndFlags) }
        let writeEnd = ends[1]
        Thread {
            data.withUnsafeBytes { bytes in
                var offset = 0
                var pieces = 0
                while offset < bytes.count {
                    let written = write(writeEnd, bytes.baseAddress! + offset, min(4096, bytes.count - offset))
                    if written < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    offset += written
                    pieces += 1
                    if pieces % 64 == 0 { usleep(2_000) }
                }
            }
            close(writeEnd)
        }.start()
        return ends[0]
    }

    static let largeInput = Data((1...150_000).map { "answer \($0): the builds are slow and CI waits on runners\n" }.joined().utf8)

    @Test func theSignalStormInterruptsABlockingRead() throws {
        // Given a pipe nobody writes to, and SIGALRM arriving with a handler that does not restart system calls
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let storm = SignalStorm()
        defer { storm.stop() }
        // Then a plain read(2) is interrupted, which is what the reader must survive
        var byte: UInt8 = 0
        let (result, error) = storm.whileTargeted { (read(ends[0], &byte, 1), errno) }
        #expect(result == -1)
        #expect(error == EINTR)
    }

    @Test func readsAWholeLargePipeWhileSignalsInterruptIt() throws {
        let readEnd = try Self.pipeFed(with: Self.largeInput)
        defer { close(readEnd) }
        let storm = SignalStorm()
        let data = try storm.whileTargeted { try FileDescriptorReader(readEnd).readToEnd() }
        storm.stop()
        #expect(data.count == Self.largeInput.count)
        #expect(data == Self.largeInput)
        #expect(storm.signalsSent > 10, "signals arrived during the read")
    }

    @Test func waitsOnANonBlockingDescriptorInsteadOfEndingEarly() throws {
        let readEnd = try Self.pipeFed(with: Self.largeInput, readEndFlags: O_NONBLOCK)
        defer { close(readEnd) }
        let storm = SignalStorm()
        let data = try storm.whileTargeted { try FileDescriptorReader(readEnd).readToEnd() }
        storm.stop()
        #expect(data == Self.largeInput)
    }

    @Test func readsAtMostTheCountAskedAndNothingAtTheEnd() throws {
        let readEnd = try Self.pipeFed(with: Data("abcdef".utf8))
        defer { close(readEnd) }
        let reader = FileDescriptorReader(readEnd)
        var collected = Data()
        while true {
            let chunk = try reader.read(upTo: 4)
            #expect(chunk.count <= 4)
            if chunk.isEmpty { break }
            collected.append(chunk)
        }
        #expect(collected == Data("abcdef".utf8))
    }

    @Test func throwsOnADescriptorThatIsNotOpen() {
        #expect(throws: ReadError(code: EBADF)) { try FileDescriptorReader(-1).readToEnd() }
        #expect(ReadError(code: EBADF).description == "read failed: Bad file descriptor")
    }
}
