import Curl
import Foundation
import Logging
import Model
import Notify
import Synchronization
import TestSupport
@testable import Channels

/// The recording receiver of `Tests/TestSupport/notify_receiver.py`, queried over real HTTP.
final class Receiver: Sendable {
    let server: ScriptServer
    let loop: CurlLoop

    init(loop: CurlLoop, port: Int? = nil, defaultStatus: Int = 200) async throws {
        var args = ["--default-status", String(defaultStatus)]
        if let port { args += ["--port", String(port)] }
        server = try await ScriptServer.launch(script: "notify_receiver.py", arguments: args)
        self.loop = loop
    }

    var port: Int { server.port }
    func url(_ path: String) -> String { server.url(path) }

    /// Every attempt so far, in arrival order.
    func received(path: String? = nil) async throws -> [[String: Any]] {
        let response = try await loop.perform(Curl.HTTPRequest(url: url("/_received")))
        let all = try JSONSerialization.jsonObject(with: Data(response.body)) as! [[String: Any]]
        return all.filter { path == nil || $0["path"] as? String == path }
    }

    /// Bodies of accepted (2xx) posts to `path`, decoded.
    func accepted(_ path: String) async throws -> [[String: Any]] {
        try await received(path: path).filter { ($0["status"] as! Int) / 100 == 2 }.map {
            try JSONSerialization.jsonObject(with: Data(($0["body"] as! String).utf8)) as! [String: Any]
        }
    }

    /// Paths of posts as they arrived, before any scripted delay: a slow answer is under way.
    func arrived() async throws -> [String] {
        let response = try await loop.perform(Curl.HTTPRequest(url: url("/_arrived")))
        return try JSONSerialization.jsonObject(with: Data(response.body)) as! [String]
    }

    func incidents() async throws -> [String: [String: Any]] {
        let response = try await loop.perform(Curl.HTTPRequest(url: url("/_incidents")))
        return try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: [String: Any]]
    }

    /// The next answers for `path`, in order.
    func script(_ path: String, _ responses: [[String: Any]]) async throws {
        var request = Curl.HTTPRequest(url: url("/_script?path=\(path)"))
        request.method = "POST"
        request.body = Array(try JSONSerialization.data(withJSONObject: responses))
        _ = try await loop.perform(request)
    }

    func stop() { server.stop() }
}



/// A notifier on a fresh or given database with real channels over the shared curl loop.
struct NotifierRig {
    let notifier: Notifier
    let task: Task<Void, Never>
    let logs: RecordingLogHandler.Store

    init(channels: [String: ChannelSpec], databasePath: String, loop: CurlLoop, route: RouteSpec? = nil,
         delivery: DeliveryPolicy = DeliveryPolicy(initialBackoff: 50, maxBackoff: 400, maxAge: 60_000, timeout: 2000),
         inhibit: [InhibitRule] = []) throws {
        let (logger, logs) = RecordingLogHandler.logger()
        let route = route ?? RouteSpec(channels: Array(channels.keys).sorted(), groupBy: ["alertname"], groupWait: 0,
                                       groupInterval: 3_600_000, repeatInterval: 36_000_000)
        let settings = NotifySettings(route: route, channels: channels, inhibitRules: inhibit, delivery: delivery,
                                      externalURL: "http://lookout.test/")
        let transport = CurlTransport(loop: loop)
        let factory = ChannelFactory(http: transport, smtp: transport, logger: logger, timeout: delivery.timeout)
        let notifier = try Notifier(settings: settings, channels: factory.makeAll(channels), databasePath: databasePath,
                                    logger: logger)
        self.notifier = notifier
        self.logs = logs
        task = Task { await notifier.run() }
    }

    func stop() async {
        task.cancel()
        await task.value
    }

    func delivered(_ channel: String) async -> Int {
        await notifier.metrics().notificationsTotal[channel]?["delivered"] ?? 0
    }

    func queued() async -> Int {
        await notifier.metrics().queueLength.values.reduce(0, +)
    }
}

func alert(_ name: String, severity: String = "critical", instance: String = "a", resolved: Bool = false,
           extra: [String: String] = [:]) -> Alert {
    let now = Notifier.wallClock()
    var labels = ["alertname": name, "severity": severity, "instance": instance, "job": "api"]
    labels.merge(extra) { $1 }
    return Alert(labels: Labels(labels), annotations: ["summary": "\(name) on \(instance)"],
                 state: resolved ? .inactive : .firing, value: 1, activeAt: now - 60_000, firedAt: now - 60_000,
                 resolvedAt: resolved ? now : nil)
}
