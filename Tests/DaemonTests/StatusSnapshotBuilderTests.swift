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

    @Test func everyFailedProbeKeepsItsReasonAndOutagesAreListed() {
        // ok, 503, 503, ok, timeout, refused (ongoing): two outages.
        let times = (0..<6).map { now - Int64(5 - $0) * 10_000 }
        let values: [Double] = [1, 0, 0, 1, 0, 0]
        let success = zip(times, values).map { Sample($0, $1) }
        let latency = times.map { Sample($0, 0.05) }
        let failures = [
            CheckFailure(at: times[1], reason: "status 503", startsOutage: true),
            CheckFailure(at: times[2], reason: "status 503", startsOutage: false),
            CheckFailure(at: times[4], reason: "timeout after 5s", startsOutage: true),
            CheckFailure(at: times[5], reason: "connection refused by 127.0.0.1 port 1", startsOutage: false),
        ]
        let status = StatusSnapshotBuilder.checkStatus(config.checks[0], row: nil, success: success, latency: latency,
                                                       failures: failures, now: now)
        #expect(status.history.map(\.reason) == ["connection refused by 127.0.0.1 port 1", "timeout after 5s", "",
                                                  "status 503", "status 503", ""])
        #expect(status.outages == [
            CheckStatus.Outage(start: times[4], end: nil, failures: 2, reason: "timeout after 5s"),
            CheckStatus.Outage(start: times[1], end: times[3], failures: 2, reason: "status 503"),
        ])
    }

    @Test func anOutageRunningFromTheWindowsStartHasNoStartUnlessItBeganThere() {
        let success = [Sample(now - 20_000, 0), Sample(now - 10_000, 1)]
        let latency = success.map { Sample($0.timestamp, 0.05) }
        let before = StatusSnapshotBuilder.checkStatus(config.checks[0], row: nil, success: success, latency: latency, now: now)
        #expect(before.outages == [CheckStatus.Outage(start: nil, end: now - 10_000, failures: 1, reason: "")])
        let began = StatusSnapshotBuilder.checkStatus(
            config.checks[0], row: nil, success: success, latency: latency,
            failures: [CheckFailure(at: now - 20_000, reason: "status 500", startsOutage: true)], now: now)
        #expect(began.outages == [CheckStatus.Outage(start: now - 20_000, end: now - 10_000, failures: 1, reason: "status 500")])
    }
}
