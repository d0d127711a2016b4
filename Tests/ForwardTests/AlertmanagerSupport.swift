import Curl
import Foundation
import Logging
import Model
import Synchronization
import TestSupport
@testable import Forward

/// `Tests/TestSupport/notify_receiver.py` standing in for an Alertmanager: records every POST
/// and answers with scripted statuses. The port is read with `read(2)` retried on EINTR.
final class AMReceiver: @unchecked Sendable {
    let port: Int
    let loop: CurlLoop
    private let process: Process
    private let input = Pipe()

    private init(loop: CurlLoop, port: Int?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", ScriptServer.supportFile("notify_receiver.py")] + (port.map { ["--port", String($0)] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input  // the script exits when this pipe closes
        try process.run()
        self.process = process
        self.loop = loop
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
        guard text.hasPrefix("PORT "), let announced = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            kill(process.processIdentifier, SIGKILL)
            throw AMTestError(description: "notify_receiver.py did not announce a port: \(text)")
        }
        self.port = announced
    }

    static func launch(loop: CurlLoop, port: Int? = nil) async throws -> AMReceiver {
        try await offCooperativePool { try AMReceiver(loop: loop, port: port) }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every POST to the alerts endpoint: status answered, headers, and the decoded alert array.
    func posts() async throws -> [(status: Int, headers: [String: String], alerts: [[String: Any]])] {
        let response = try await loop.perform(HTTPRequest(url: baseURL + "/_received"))
        let all = try JSONSerialization.jsonObject(with: Data(response.body)) as! [[String: Any]]
        return try all.filter { $0["path"] as? String == "/api/v2/alerts" }.map { entry in
            let body = Data((entry["body"] as! String).utf8)
            return (entry["status"] as! Int, entry["headers"] as! [String: String],
                    try JSONSerialization.jsonObject(with: body) as! [[String: Any]])
        }
    }

    /// Alerts in accepted (2xx) posts, in arrival order.
    func accepted() async throws -> [[String: Any]] {
        try await posts().filter { $0.status / 100 == 2 }.flatMap(\.alerts)
    }

    /// The next answers for the alerts endpoint, in order.
    func script(_ responses: [[String: Any]]) async throws {
        var request = HTTPRequest(url: baseURL + "/_script?path=/api/v2/alerts")
        request.method = "POST"
        request.body = Array(try JSONSerialization.data(withJSONObject: responses))
        _ = try await loop.perform(request)
    }
}

struct AMTestError: Error, CustomStringConvertible {
    var description: String
}

/// A loopback port nobody listens on (bound once, then released).
func amUnusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    guard bound == 0 else { throw AMTestError(description: "cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}



/// Fast retries for tests.
func amOptions(now: @escaping @Sendable () -> Timestamp = AlertmanagerOptions().now) -> AlertmanagerOptions {
    var options = AlertmanagerOptions()
    options.initialBackoff = 20
    options.maxBackoff = 100
    options.now = now
    return options
}

func amAlert(_ name: String, instance: String = "a", firedAt: Timestamp = 1_700_000_000_000,
             resolvedAt: Timestamp? = nil) -> Alert {
    Alert(labels: ["alertname": name, "instance": instance, "severity": "page"],
          annotations: ["summary": "\(name) on \(instance)"], state: resolvedAt == nil ? .firing : .inactive,
          value: 1, activeAt: firedAt - 60_000, firedAt: firedAt, resolvedAt: resolvedAt,
          generatorURL: "http://lookout:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1")
}
