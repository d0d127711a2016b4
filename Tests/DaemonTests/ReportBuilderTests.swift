import Config
import Foundation
import Model
import Notify
import Storage
import Testing
@testable import Daemon

@Suite struct ReportBuilderTests {
    static let yaml = """
        global: {timezone: Europe/Berlin, data_dir: /tmp/unused}
        checks:
          - {name: api, http: "http://127.0.0.1:1/health"}
        alerts:
          - name: CloudSpend
            daily_cost: {counter: cloud_cost_total}
            above: 1000
        notify:
          channels: {log: {log: {}}}
        reports:
          - {name: daily, at: "08:00", channels: [log]}
        """

    let config: LookoutConfig
    let store = MemorySeriesStore()
    /// 08:00 in Berlin.
    let now = utc("2026-11-23T07:00:00Z")

    init() throws {
        config = try ConfigLoader.parse(text: Self.yaml, fileName: "t.yml", environment: [:]).get()
    }

    func builder(active: [Alert] = [], rows: [CheckStatusRow] = []) -> ReportBuilder {
        ReportBuilder(config: config, querier: store, checkRows: rows, activeAlerts: active)
    }

    /// A cost counter sampled every 10 minutes at :08, :18, …, rising by `increment(daysBack)` per sample.
    func appendCost(increment: (Int) -> Double) throws {
        var value = 0.0
        for daysBack in stride(from: 9, through: 0, by: -1) {
            let midnight = ReportSchedule.midnight(of: now, daysBack: daysBack, in: config.global.timezone)
            var t = midnight + 8 * 60_000
            while t < min(midnight + 86_400_000, now) {
                value += increment(daysBack)
                try store.append([LabeledSample(["__name__": "cloud_cost_total", "job": "billing"], Sample(t, value))])
                t += 600_000
            }
        }
    }

    @Test func costShowsTodayYesterdayAndTheWeekBefore() throws {
        try appendCost { $0 == 0 ? 0.5 : $0 == 1 ? 0.25 : 0.125 }
        let cost = builder().cost(now: now)
        #expect(cost.yesterdayDay == "2026-11-22")
        let line = try #require(cost.series.first)
        #expect(line.name == "CloudSpend" && line.expr == "sum(increase(cloud_cost_total[today]))")
        #expect(line.today == 48 * 0.5, "00:08 … 07:58 local: 48 samples")
        #expect(line.yesterday == 144 * 0.25)
        #expect(line.average7d == 144 * 0.125 && line.averageDays == 7)
        #expect(line.changePercent == 100)
    }

    @Test func costWithoutRulesIsEmptyAndMissingDaysAreLeftOutOfTheAverage() throws {
        var bare = config
        bare.alerts = []
        #expect(ReportBuilder(config: bare, querier: store, checkRows: [], activeAlerts: []).cost(now: now).series.isEmpty)
        // Data only since 3 days ago.
        var value = 0.0
        let start = ReportSchedule.midnight(of: now, daysBack: 3, in: config.global.timezone) + 8 * 60_000
        for t in stride(from: start, to: now, by: 600_000) {
            value += 1
            try store.append([LabeledSample(["__name__": "cloud_cost_total"], Sample(t, value))])
        }
        let line = try #require(builder().cost(now: now).series.first)
        #expect(line.yesterday == 144)
        #expect(line.averageDays == 2, "days -2 and -3 have data; -3 starts at its first sample")
    }

    @Test func alertsSplitIntoEpisodesAndKnowWhetherStillFiring() throws {
        let labels: Labels = ["__name__": "ALERTS", "alertname": "Down", "alertstate": "firing", "check": "api"]
        for t in stride(from: now - 3 * 3_600_000, through: now - 2 * 3_600_000, by: 60_000) {
            try store.append([LabeledSample(labels, Sample(t, 1))])
        }
        try store.append([LabeledSample(labels, Sample(now - 2 * 3_600_000 + 60_000, Double(bitPattern: StaleMarker.bitPattern)))])
        for t in stride(from: now - 1_800_000, to: now, by: 60_000) {
            try store.append([LabeledSample(labels, Sample(t, 1))])
        }
        let old: Labels = ["__name__": "ALERTS", "alertname": "Old", "alertstate": "firing"]
        try store.append([LabeledSample(old, Sample(now - 30 * 3_600_000, 1))])
        let pending: Labels = ["__name__": "ALERTS", "alertname": "Slow", "alertstate": "pending"]
        try store.append([LabeledSample(pending, Sample(now - 60_000, 1))])

        let active = [Alert(labels: ["alertname": "Down", "check": "api"], state: .firing, value: 0,
                            activeAt: now - 1_800_000, firedAt: now - 1_800_000)]
        let section = builder(active: active).alerts(now: now)
        #expect(section.entries.count == 1)
        let entry = try #require(section.entries.first)
        #expect(entry.name == "Down" && entry.labels == ["check": "api"])
        #expect(entry.episodes == 2 && entry.stillFiring)
        #expect(entry.firstFiredAt == now - 3 * 3_600_000)
        #expect(entry.firingMilliseconds == 90 * 60_000)
        // Without the active alert it counts as resolved and its last episode ends at its last sample.
        let resolved = try #require(builder().alerts(now: now).entries.first)
        #expect(!resolved.stillFiring && resolved.firingMilliseconds == 89 * 60_000)
    }

    @Test func uptimeCountsFailuresAndKeepsTheLastReason() throws {
        for k in 1..<1440 {
            let ok = k % 100 != 0
            try store.append([LabeledSample(["__name__": "probe_success", "check": "api"], Sample(now - Int64(k) * 60_000, ok ? 1 : 0))])
        }
        let row = CheckStatusRow(check: "api", success: true, at: now - 60_000, durationSeconds: 0.1, reason: nil,
                                 lastFailureAt: now - 100 * 60_000, lastFailureReason: "HTTP 503")
        let check = try #require(builder(rows: [row]).uptime(now: now).checks.first)
        #expect(check.name == "api" && check.up == true)
        #expect(check.failures24h == 14)
        #expect(abs((check.uptime24h ?? 0) - 1425.0 / 1439.0) < 1e-12)
        #expect(check.uptime7d == check.uptime24h)
        #expect(check.lastFailureReason == "HTTP 503" && check.lastFailureAt == now - 100 * 60_000)
    }

    @Test func buildIncludesOnlyTheConfiguredSections() throws {
        var report = try #require(config.reports.first)
        report.include = [.uptime]
        let built = builder().build(report, now: now)
        #expect(built.cost == nil && built.alerts == nil && built.uptime != nil)
        #expect(built.day == "2026-11-23" && built.timeZone == "Europe/Berlin")
    }
}

func utc(_ text: String) -> Timestamp {
    Timestamp(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970 * 1000)
}
