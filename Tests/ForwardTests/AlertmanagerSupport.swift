import Curl
import Foundation
import Logging
import Model
import Synchronization
import TestSupport
@testable import Forward

/// `Tests/TestSupport/notify_receiver.py` standing in for an Alertmanager: records every POST
/// and answers with scripted statuses.
final class AMReceiver: Sendable {
    let loop: CurlLoop
    private let server: ScriptServer

    private init(server: ScriptServer, loop: CurlLoop) {
        self.server = server
        self.loop = loop
    }

    static func launch(loop: CurlLoop, port: Int? = nil) async throws -> AMReceiver {
        let server = try await ScriptServer.launch(script: "notify_receiver.py", arguments: port.map { ["--port", String($0)] } ?? [])
        return AMReceiver(server: server, loop: loop)
    }

    var port: Int { server.port }

    func stop() { server.stop() }

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
