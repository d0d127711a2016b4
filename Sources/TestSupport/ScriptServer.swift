import Foundation

/// A helper server process from `Tests/TestSupport` (a Python script) listening on a loopback
/// port it picks itself and announces as `PORT <n>` on its first output line.
/// The process is killed when this object is released or `stop()` is called.
public final class ScriptServer: @unchecked Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    private let process: Process

    /// Starts `python3 Tests/TestSupport/<script> <arguments>` and waits until it listens.
    public init(script: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", Self.supportFile(script)] + arguments
        let output = Pipe()
        process.standardOutput = output
        // The script exits when this pipe closes, so no server outlives the test process.
        process.standardInput = Pipe()
        try process.run()
        self.process = process
        // read(2) retried on EINTR: FileHandle.availableData traps on an interrupted read.
        let fd = output.fileHandleForReading.fileDescriptor
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !line.contains(UInt8(ascii: "\n")) {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            line += buffer[0..<n]
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            kill(process.processIdentifier, SIGKILL)
            throw ScriptServerError(message: "\(script) did not announce a port: \(text)")
        }
        self.port = port
    }

    deinit { stop() }

    /// Kills the server process and waits until it has exited (see `killAndWait`).
    public func stop() {
        guard process.isRunning else { return }
        killAndWait(process)
    }

    /// `http://127.0.0.1:<port>` followed by `path`.
    public func url(_ path: String, scheme: String = "http") -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// The absolute path of a file in `Tests/TestSupport`.
    public static func supportFile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/TestSupport/\(name)").path
    }
}

/// A helper server failed to start.
public struct ScriptServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A temporary directory removed when released.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates a fresh, empty directory under the system temporary directory.
    public init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/name`.
    public func file(_ name: String) -> String { "\(path)/\(name)" }
}

/// A self-signed certificate for `localhost` and `127.0.0.1`, made by the openssl CLI.
public struct SelfSignedCertificate: Sendable {
    /// PEM certificate; also usable as the CA file since it signs itself.
    public var certificatePath: String
    /// PEM private key.
    public var keyPath: String

    /// Writes `cert.pem` and `key.pem` into `directory`, valid for `days` days from now.
    public init(in directory: TemporaryDirectory, days: Int) throws {
        certificatePath = directory.file("cert.pem")
        keyPath = directory.file("key.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath,
                             "-out", certificatePath, "-days", String(days), "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ScriptServerError(message: "openssl exited with \(process.terminationStatus)")
        }
    }
}

/// Runs blocking work (starting a process, waiting for it) on a thread of its own, so it never
/// ties up one of the few threads of Swift's cooperative pool that other tests need.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}

extension ScriptServer {
    /// Starts the server without blocking the calling task's thread.
    public static func launch(script: String, arguments: [String] = []) async throws -> ScriptServer {
        try await offCooperativePool { try ScriptServer(script: script, arguments: arguments) }
    }
}

extension SelfSignedCertificate {
    /// Makes the certificate without blocking the calling task's thread.
    public static func make(in directory: TemporaryDirectory, days: Int) async throws -> SelfSignedCertificate {
        try await offCooperativePool { try SelfSignedCertificate(in: directory, days: days) }
    }
}

/// An HTTPS server on loopback (`loopback_http.py`) presenting a self-signed certificate made
/// for it, valid for `days` days; the directory holding the key lives as long as this value.
public struct LoopbackTLSServer: Sendable {
    public let directory: TemporaryDirectory
    public let certificate: SelfSignedCertificate
    public let server: ScriptServer

    /// Makes the certificate and starts the server.
    public static func launch(days: Int) async throws -> LoopbackTLSServer {
        let directory = try TemporaryDirectory()
        let certificate = try await SelfSignedCertificate.make(in: directory, days: days)
        let server = try await ScriptServer.launch(
            script: "loopback_http.py", arguments: ["--cert", certificate.certificatePath, "--key", certificate.keyPath])
        return LoopbackTLSServer(directory: directory, certificate: certificate, server: server)
    }
}
