import Foundation
import TestSupport

/// A Python helper server from `Tests/TestSupport`, like `ScriptServer`, but reading the
/// announced port with `read(2)` retried on EINTR: a child exiting elsewhere in the test process
/// (SIGCHLD) must not crash a test that is starting a server.
final class Helper: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let input = Pipe()

    private init(script: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", ScriptServer.supportFile(script)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input  // the script exits when this pipe closes
        try process.run()
        self.process = process
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
            throw HelperError(description: "\(script) did not announce a port: \(text)")
        }
        self.port = port
    }

    /// Starts the helper without blocking a thread of the cooperative pool.
    static func launch(_ script: String, _ arguments: [String] = []) async throws -> Helper {
        try await offCooperativePool { try Helper(script: script, arguments: arguments) }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}

struct HelperError: Error, CustomStringConvertible {
    var description: String
}
