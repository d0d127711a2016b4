import Config
import Curl
import Foundation
import Logging
import Model
import Synchronization
import TestSupport
@testable import Forward

/// `Tests/TestSupport/remote_write_receiver.py`, queried over real HTTP: a Prometheus
/// remote-write receiver that records every request and answers as scripted.
final class RemoteWriteReceiver: Sendable {
    let server: ScriptServer
    let loop: CurlLoop

    init(loop: CurlLoop, port: Int? = nil) async throws {
        server = try await ScriptServer.launch(script: "remote_write_receiver.py", arguments: port.map { ["--port", "\($0)"] } ?? [])
        self.loop = loop
    }

    var writeURL: String { server.url("/api/v1/write") }

    struct Request: @unchecked Sendable {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        /// The request decoded; empty if it was not decodable.
        var series: [DecodedSeries] { (try? WriteRequestDecoder.decode(compressed: body)) ?? [] }
    }

    func received() async throws -> [Request] {
        let response = try await loop.perform(Curl.HTTPRequest(url: server.url("/_received")))
        let all = try JSONSerialization.jsonObject(with: Data(response.body)) as! [[String: Any]]
        return all.map { entry in
            let hex = entry["body"] as! String
            var bytes: [UInt8] = []
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                bytes.append(UInt8(hex[index..<next], radix: 16)!)
                index = next
            }
            return Request(status: entry["status"] as! Int, headers: entry["headers"] as! [String: String], body: bytes)
        }
    }

    /// Every sample of the accepted requests, in arrival order.
    func acceptedSeries() async throws -> [DecodedSeries] {
        try await received().filter { $0.status / 100 == 2 }.flatMap(\.series)
    }

    /// The next answers, in order: `{"status": 503, "retry_after": "1", "body": "..."}`.
    func script(_ responses: [[String: Any]]) async throws {
        var request = Curl.HTTPRequest(url: server.url("/_script"))
        request.method = "POST"
        request.body = Array(try JSONSerialization.data(withJSONObject: responses))
        _ = try await loop.perform(request)
    }
}

/// Keeps log lines in memory, so tests can assert on them (and that secrets never appear).
struct RemoteWriteLogRecorder: LogHandler {
    final class Store: Sendable {
        let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.lines.withLock { $0.append("\(event.level) \(event.message) \(details)") }
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in RemoteWriteLogRecorder(store: store) }, store)
    }
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held.
func remoteWriteEventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

enum RemoteWriteFixtures {
    /// Fast timings for tests: flush every 20 ms, retry after 10–80 ms.
    static let options = EndpointQueue.Options(flushInterval: .milliseconds(20),
                                               retry: RetryPolicy(initial: 10, maximum: 80), requestTimeout: .seconds(5))

    static func config(_ url: String, auth: RemoteWriteConfig.Auth? = nil, headers: [String: Secret] = [:],
                       relabel: [RelabelRule] = [], maxSamplesPerSend: Int = 100, shards: Int = 1,
                       maxBacklogAge: Int64 = 3_600_000, maxBacklogBytes: Int = 256 << 20) -> RemoteWriteConfig {
        RemoteWriteConfig(url: url, auth: auth, headers: headers, writeRelabelConfigs: relabel,
                          queue: RemoteWriteQueue(maxSamplesPerSend: maxSamplesPerSend, shards: shards,
                                                  maxBacklogAge: maxBacklogAge, maxBacklogBytes: maxBacklogBytes),
                          position: SourcePosition(file: "test.yml", line: 1, column: 1))
    }

    /// `count` samples of `series` series, timestamps from `start` one second apart per round.
    static func samples(series: Int, rounds: Int, start: Timestamp = RemoteWriteClock.now() - 60_000) -> [[LabeledSample]] {
        (0..<rounds).map { round in
            (0..<series).map { s in
                LabeledSample(["__name__": "rw_test_total", "instance": "i\(s % 3)", "series": "\(s)"],
                              Sample(start + Timestamp(round) * 1000, Double(round * 1000 + s)))
            }
        }
    }
}
