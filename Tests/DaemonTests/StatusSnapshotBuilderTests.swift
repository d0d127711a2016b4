import Config
import Model
import Server
import Storage
import Testing
@testable import Daemon

/// The per-check history the status page shows, built from the stored probe series.
@Suite struct StatusSnapshotBuilderTests {
    static let yaml = """
        global: {data_dir: /tmp/unused}
        checks:
          - {name: api, http: "http://127.0.0.1:1/health"}
          - {name: db, tcp: "127.0.0.1:1"}
        """

    let config: LookoutConfig
    let now: Timestamp = 1_800_000_000_000

    init() throws {
        config = try ConfigLoader.parse(text: Self.yaml, fileName: "t.yml", environment: [:]).get()
    }

    @Test func historyShowsEachProbesHTTPStatus() {
        let times = [now - 20_000, now - 10_000, now]
        let success = [Sample(times[0], 1), Sample(times[1], 0), Sample(times[2], 0)]
        let latency = times.map { Sample($0, 0.05) }
        let codes = [Sample(times[0], 200), Sample(times[1], 503), Sample(times[2], 0)]
        let row = CheckStatusRow(check: "api", success: false, at: now, durationSeconds: 0.05, reason: "connection refused",
                                 lastFailureAt: now, lastFailureReason: "connection refused")
        let status = StatusSnapshotBuilder.checkStatus(config.checks[0], row: row, success: success, latency: latency,
                                                       statusCodes: codes, now: now)
        // Newest first; a connection failure (status 0) has no status to show.
        #expect(status.history.map(\.statusCode) == [nil, 503, 200])
        #expect(status.history.first?.reason == "connection refused")
    }

    /// The status page is readable by whoever reaches the API: a check URL's credentials and
    /// query (where tokens go) stay off it, as they stay out of `lookout check`.
    @Test func checkTargetHasNoCredentialsOrQuery() throws {
        let yaml = """
            global: {data_dir: /tmp/unused}
            checks:
              - {name: api, http: "https://probe:hunter2pw@api.example.com:8443/health?token=t0ken#frag"}
            """
        let config = try ConfigLoader.parse(text: yaml, fileName: "t.yml", environment: [:]).get()
        let status = StatusSnapshotBuilder.checkStatus(config.checks[0], row: nil, success: [], latency: [], now: now)
        #expect(status.target == "https://api.example.com:8443/health?…")
    }

    @Test func tcpHistoryHasNoStatus() {
        let status = StatusSnapshotBuilder.checkStatus(config.checks[1], row: nil, success: [Sample(now, 1)],
                                                       latency: [Sample(now, 0.001)], now: now)
        #expect(status.history.map(\.statusCode) == [nil])
    }
}
