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

    /// A receiver on `port` (any free one if nil) that answers every write it is not scripted
    /// for with `defaultStatus`.
    init(loop: CurlLoop, port: Int? = nil, defaultStatus: Int = 200) async throws {
        let arguments = (port.map { ["--port", "\($0)"] } ?? []) + ["--default-status", "\(defaultStatus)"]
        server = try await ScriptServer.launch(script: "remote_write_receiver.py", arguments: arguments)
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



enum RemoteWriteFixtures {
    /// Fast timings for tests: flush every 20 ms, retry after 10–80 ms.
    static let options = EndpointQueue.Options(flushInterval: .milliseconds(20),
                                               retry: RetryPolicy(initial: 10, maximum: 80), requestTimeout: .seconds(5))

    static func config(_ url: String, auth: ClientAuth? = nil, headers: [String: Secret] = [:],
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
