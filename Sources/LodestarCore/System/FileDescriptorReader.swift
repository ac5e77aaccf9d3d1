#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a file descriptor with read(2), retrying when a signal interrupts the read (EINTR) and throwing on any
/// other error. swift-corelibs-foundation's `readDataToEndOfFile()` traps on EINTR and `read(upToCount:)` throws
/// it, so a pipe read while a child exits (SIGCHLD) or another handled signal arrives could end the whole process.
public struct FileDescriptorReader: Sendable {
    public let fileDescriptor: Int32

    public init(_ fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// What one read(2) returns, at most `count` bytes; empty only at the end of the file. On a non-blocking
    /// descriptor with nothing to read yet it waits with poll(2) instead of returning early.
    public func read(upTo count: Int) throws -> Data {
        var data = Data(count: count)
        let read = try data.withUnsafeMutableBytes { (buffer) -> Int in
            try self.read(into: buffer)
        }
        data.removeSubrange(read...)
        return data
    }

    /// Everything up to the end of the file.
    public func readToEnd() throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let read = try buffer.withUnsafeMutableBytes { (buffer) -> Int in try self.read(into: buffer) }
            if read == 0 { return data }
            data.append(contentsOf: buffer[..<read])
        }
    }

    /// One read(2) into `buffer`: the number of bytes read, 0 at the end of the file.
    private func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            #if canImport(Glibc)
            let read = Glibc.read(self.fileDescriptor, buffer.baseAddress, buffer.count)
            #else
            let read = Darwin.read(self.fileDescriptor, buffer.baseAddress, buffer.count)
            #endif
            if read >= 0 { return read }
            switch errno {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                try self.waitUntilReadable()
            case let code:
                throw ReadError(code: code)
            }
        }
    }

    private func waitUntilReadable() throws {
        var descriptor = pollfd(fd: self.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, -1) < 0 {
            guard errno == EINTR else { throw ReadError(code: errno) }
        }
    }
}

/// A read(2) or poll(2) that failed for a reason other than a signal, with its errno.
public struct ReadError: Error, Equatable, CustomStringConvertible {
    public let code: Int32

    public init(code: Int32) {
        self.code = code
    }

    public var description: String { "read failed: \(String(cString: strerror(self.code)))" }
}
