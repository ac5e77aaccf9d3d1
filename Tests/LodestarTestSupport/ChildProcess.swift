#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LodestarCore

/// Runs a program to completion and collects its standard output and standard error, for the tests that spawn
/// processes. Both pipes are read at once with poll(2): reading one to its end first deadlocks as soon as the child
/// fills the other's pipe buffer (64 KiB). Every read and poll is retried when a signal interrupts it.
public enum ChildProcess {
    /// How a run ended and everything it printed.
    public struct Output: Sendable {
        public let status: Int32
        public let out: Data
        public let err: Data
    }

    /// Runs `executable` with `arguments`; `input` is its standard input (the null device when nil).
    public static func run(
        _ executable: URL, arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil,
        input: FileHandle? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = input ?? FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()  // Foundation closes our copies of the writing ends, so the reads end when the child's do
        let (outData, errData) = try self.readBoth(out.fileHandleForReading.fileDescriptor, err.fileHandleForReading.fileDescriptor)
        process.waitUntilExit()
        return Output(status: process.terminationStatus, out: outData, err: errData)
    }

    /// Reads two descriptors to their ends, whichever has data first.
    static func readBoth(_ first: Int32, _ second: Int32) throws -> (Data, Data) {
        var descriptors = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var collected = [Data(), Data()]
        while descriptors.contains(where: { $0.fd >= 0 }) {
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                guard errno == EINTR else { throw ReadError(code: errno) }
                continue
            }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let chunk = try FileDescriptorReader(descriptors[index].fd).read(upTo: 1 << 16)
                if chunk.isEmpty {
                    descriptors[index].fd = -1
                } else {
                    collected[index].append(chunk)
                }
                descriptors[index].revents = 0
            }
        }
        return (collected[0], collected[1])
    }
}
