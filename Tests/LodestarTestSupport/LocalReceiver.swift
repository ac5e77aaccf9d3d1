import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A local stand-in for a chat webhook or a mail server: a Python process on an ephemeral loopback port, started
/// for one test and stopped with it, that writes what it receives into its own folder. Nothing leaves the machine.
/// A missing Python module or tool is an error with its install line: these tests fail, they never skip.
public final class LocalReceiver: @unchecked Sendable {
    public let folder: URL
    public let port: Int
    /// The timeout a test gives a client talking to a receiver, unless the timeout is what it tests: generous,
    /// because a full run on 2 cores can keep the receiver's process from answering for many seconds.
    public static let patientTimeout: Duration = .seconds(60)
    private let process: Process

    init(script: String, arguments: [String], folder: URL) throws {
        self.folder = folder
        let file = folder.appendingPathComponent("receiver.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("receiver.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        // The shell sends the output to the log, so no descriptor of this process is handed to the child.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "log=$1; shift; exec python3 \"$@\" >>\"$log\" 2>&1", "sh", log.path, file.path, folder.path] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let portFile = folder.appendingPathComponent("port")
        let deadline = Date().addingTimeInterval(15)
        while true {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                self.port = port
                return
            }
            if !process.isRunning || Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw ReceiverError(description: "the local receiver did not start: \(output)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.folder)
    }

    /// Ends the receiver at once: it keeps nothing in memory worth a graceful stop, and a child started from a
    /// test thread may inherit a signal mask that blocks SIGTERM.
    func stop() {
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// The files the receiver wrote whose names start with `prefix`, in the order received, as text.
    public func received(_ prefix: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: self.folder.path)) ?? []).filter {
            $0.hasPrefix(prefix) && !$0.hasSuffix(".tmp")
        }
        let ordered = names.sorted {
            (Int($0.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0) < (Int($1.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0)
        }
        return ordered.compactMap { try? String(contentsOf: self.folder.appendingPathComponent($0), encoding: .utf8) }
    }

    /// What the receiver logged, one event a line (`EHLO`, `STARTTLS`, `AUTH alice`, `MAIL …`, `RCPT …`).
    public var events: [String] {
        ((try? String(contentsOf: self.folder.appendingPathComponent("events.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func makeFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: - The chat webhook

    /// An HTTP server that answers every POST with `status` and keeps each request as `request-N.json`:
    /// `{"path", "contentType", "body"}`.
    public static func webhook(status: Int = 200) throws -> LocalReceiver {
        try LocalReceiver(script: LocalReceiverScripts.webhook, arguments: [String(status)], folder: try Self.makeFolder("webhook"))
    }

    /// The URL to post to.
    public var webhookURL: String { "http://127.0.0.1:\(self.port)/hooks/T000/B000/secret" }

    // MARK: - The mail server

    /// How the mail server treats TLS.
    public enum TLS: String, Sendable {
        /// Offers STARTTLS with a certificate for localhost and 127.0.0.1 from a throwaway CA, and requires it.
        case startTLS = "starttls"
        /// Offers no STARTTLS.
        case none
    }

    /// aiosmtpd on 127.0.0.1, keeping each message as `message-N.eml` (as received) and `message-N.json` (read back
    /// by Python's `email` package: `from`, `to`, `subject`, `body`, the headers, whether it came over TLS). With
    /// `credentials`, AUTH PLAIN is offered after STARTTLS and those are the only ones accepted. RCPT TO an address at
    /// `refused.example` is answered 550.
    public static func mailServer(tls: TLS = .startTLS, credentials: (user: String, password: String)? = nil) throws -> LocalReceiver {
        try Self.requirePython(module: "aiosmtpd", install: "python3 -m pip install aiosmtpd (scripts/test installs it)")
        let folder = try Self.makeFolder("smtp")
        var arguments = [tls.rawValue]
        if tls == .startTLS { arguments += try Self.makeCertificates(in: folder) }
        if let credentials { arguments += [credentials.user, credentials.password] }
        return try LocalReceiver(script: LocalReceiverScripts.smtp, arguments: arguments, folder: folder)
    }

    /// The throwaway CA's certificate, for `LODESTAR_SMTP_CA_FILE`; nil for a server without TLS.
    public var caFile: String? {
        let path = self.folder.appendingPathComponent("ca.pem").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A CA and a server certificate for localhost and 127.0.0.1 it signed; returns the certificate and key paths.
    static func makeCertificates(in folder: URL) throws -> [String] {
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: folder.appendingPathComponent("leaf.ext"))
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("ca.key"), "-out",
                path("ca.pem"),
                "-days", "2", "-subj", "/CN=Lodestar test CA",
            ],
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("server.key"), "-out",
                path("server.csr"),
                "-subj", "/CN=localhost",
            ],
            [
                "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-CAcreateserial", "-out",
                path("server.pem"),
                "-days", "2", "-extfile", path("leaf.ext"),
            ],
        ]
        for step in steps {
            let output: ChildProcess.Output
            do {
                output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["openssl"] + step)
            } catch {
                throw ReceiverError(description: "cannot run openssl (\(error)): apt-get install openssl (scripts/test installs it)")
            }
            guard output.status == 0 else {
                throw ReceiverError(description: "openssl \(step[0]) failed: \(String(decoding: output.err, as: UTF8.self)); apt-get install openssl")
            }
        }
        return [path("server.pem"), path("server.key")]
    }

    static func requirePython(module: String, install: String) throws {
        let output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", "-c", "import \(module)"])
        guard output.status == 0 else {
            throw ReceiverError(description: "python3 cannot import \(module), which the announcement tests run as their mail server: \(install)")
        }
    }
}

/// A local receiver could not be started; the description says what to install.
public struct ReceiverError: Error, CustomStringConvertible {
    public let description: String
}
