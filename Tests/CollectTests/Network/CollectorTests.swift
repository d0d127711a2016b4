@testable import Collect
import Model
import SQLite
import Synchronization
import Testing
import TestSupport

@Suite("Scheduling")
struct ScheduleTests {
    @Test func offsetIsStableAndWithinTheInterval() {
        let a = Schedule(name: "check/api", interval: .seconds(30))
        #expect(a == Schedule(name: "check/api", interval: .seconds(30)))
        #expect((0..<30_000).contains(a.offsetMs))
        let offsets = Set((0..<100).map { Schedule(name: "check/\($0)", interval: .seconds(30)).offsetMs })
        #expect(offsets.count > 90)  // spread out, not one thundering slot
    }

    @Test(arguments: [Int64(0), 1_700_000_000_123, 1_700_000_029_999, -5])
    func nextSlotIsTheFirstAfterNow(now: Int64) {
        let schedule = Schedule(name: "x", interval: .seconds(30))
        let next = schedule.next(after: now)
        #expect(next > now && next - now <= 30_000)
        #expect(((next - schedule.offsetMs) % 30_000 + 30_000) % 30_000 == 0)
    }

    @Test("a round that overran into the next slot runs it at once, once; further missed slots are skipped")
    func overrunRunsTheMissedSlotOnce() {
        let schedule = Schedule(name: "check/hung", interval: .seconds(6))
        let slot = schedule.next(after: 1_700_000_000_000)
        let following = slot + 6_000
        // On time: the following slot, stamped with it.
        #expect(schedule.after(round: slot, endedAt: slot + 5_999) == (following, following))
        #expect(schedule.after(round: slot, endedAt: following) == (following, following))
        // A 6 s timeout against an endpoint that never answers ends a few ms into the following
        // slot: that slot runs now (not 6 s later), stamped when it starts.
        #expect(schedule.after(round: slot, endedAt: following + 7) == (following, following + 7))
        // More than a whole interval late: skip to the first slot after now, never back to back.
        #expect(schedule.after(round: slot, endedAt: following + 6_000) == (following + 12_000, following + 12_000))
        #expect(schedule.after(round: slot, endedAt: following + 8_500) == (following + 12_000, following + 12_000))
    }
}

/// Collects every probe result the collector reports, so tests await results instead of sleeping.
final class ResultLog: Sendable {
    private let results = Mutex<[ProbeResult]>([])
    func add(_ result: ProbeResult) { results.withLock { $0.append(result) } }
    func count(_ check: String) -> Int { results.withLock { $0.filter { $0.check == check }.count } }

    /// Polls until `condition` holds or `limit` passes; returns whether it held.
    func wait(for limit: Duration, until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}

@Suite("Collector runs jobs on the one loop")
struct CollectorTests {
    func check(_ name: String, _ url: String, every interval: Duration, timeout: Duration = .seconds(2)) -> ProbeSpec {
        var spec = ProbeSpec(name: name, target: .http(url: url))
        spec.interval = interval
        spec.timeout = timeout
        return spec
    }

    @Test func hungEndpointDoesNotDelayOthers() async throws {
        let server = try await CollectFixtures.http()
        let store = MemorySeriesStore()
        let log = ResultLog()
        let collector = Collector(loop: try CollectFixtures.loop(), appender: store, logger: CollectFixtures.logger,
                                  onProbeResult: { log.add($0) })
        var specs = CollectSpecs()
        specs.probes = [check("fast", server.url("/ok"), every: .milliseconds(100)),
                        check("hung", server.url("/slow?ms=30000"), every: .seconds(2), timeout: .seconds(2))]
        #expect(collector.update(specs).isEmpty)
        // The hung check waits 2 s for its timeout; meanwhile the fast one (every 100 ms) keeps going.
        #expect(await log.wait(for: .seconds(20)) { log.count("hung") >= 1 })
        // Had the hung probe held the loop, the fast check would have one result in those 2 s, not
        // ~20; a few are proof enough on a loaded machine.
        #expect(log.count("fast") >= 3)
        #expect(collector.probeResults.latest("hung")?.reason?.hasPrefix("timeout") == true)
        #expect(collector.probeResults.latest("fast")?.success == true)
        #expect(try store.latest("probe_success", ["check": "fast"]) == 1)
        collector.stopAll()
    }

    @Test func updateKeepsUnchangedJobsAndStopsRemovedOnes() async throws {
        let server = try await CollectFixtures.http()
        let store = MemorySeriesStore()
        let collector = Collector(loop: try CollectFixtures.loop(), appender: store, logger: CollectFixtures.logger)
        let keep = check("keep", server.url("/ok"), every: .seconds(60))
        let drop = check("drop", server.url("/ok"), every: .seconds(60))
        var specs = CollectSpecs()
        specs.probes = [keep, drop]
        collector.update(specs)
        let before = try #require(collector.task(for: .probe(keep)))
        #expect(collector.jobCount == 2)
        var changed = keep
        changed.name = "renamed"
        specs.probes = [keep, changed]
        collector.update(specs)
        #expect(collector.jobCount == 2)
        #expect(collector.task(for: .probe(keep)) == before)
        #expect(collector.task(for: .probe(drop)) == nil)
        #expect(collector.task(for: .probe(changed)) != nil)
        let dropped = { (try? store.latest("probe_success", ["check": "drop"]))??.bitPattern == StaleMarker.bitPattern }
        #expect(await ResultLog().wait(for: .seconds(20), until: dropped))
        var retimed = keep
        retimed.timeout = .seconds(1)
        specs.probes = [retimed, changed]
        collector.update(specs)
        #expect(collector.task(for: .probe(keep)) == nil)
        #expect(collector.task(for: .probe(retimed)) != nil)
        collector.stopAll()
        #expect(collector.jobCount == 0)
    }

    @Test func invalidSpecIsReportedAndOthersRun() async throws {
        let collector = Collector(loop: try CollectFixtures.loop(), appender: MemorySeriesStore(), logger: CollectFixtures.logger)
        var bad = check("bad", "http://127.0.0.1/", every: .seconds(60))
        bad.expect.bodyRegex = "(("
        var specs = CollectSpecs()
        specs.probes = [bad, check("good", "http://127.0.0.1/", every: .seconds(60))]
        let problems = collector.update(specs)
        #expect(problems.count == 1 && problems[0].hasPrefix("check bad:"))
        #expect(collector.jobCount == 1)
        collector.stopAll()
    }

    @Test func runReturnsWhenCancelled() async throws {
        let collector = Collector(loop: try CollectFixtures.loop(), appender: MemorySeriesStore(), logger: CollectFixtures.logger)
        var specs = CollectSpecs()
        specs.hostMetrics = HostMetricsSpec(instance: "h")
        collector.update(specs)
        let running = Task { await collector.run() }
        running.cancel()
        await running.value
        #expect(collector.jobCount == 0)
    }
}

@Suite("Collector runs every kind of job")
struct CollectorEveryJobTests {
    @Test func scrapeSQLAndHostJobsWriteAndRemovedTargetGoesStale() async throws {
        let server = try await CollectFixtures.http()
        let directory = try TemporaryDirectory()
        let database = directory.file("app.db")
        try SQLite.Connection(path: database).execute("CREATE TABLE t(k TEXT, value REAL); INSERT INTO t VALUES ('a', 7)")
        let store = MemorySeriesStore()
        let collector = Collector(loop: try CollectFixtures.loop(), appender: store, logger: CollectFixtures.logger)
        var scrape = ScrapeTargetSpec(target: ScrapeTarget(job: "app", instance: "127.0.0.1:\(server.port)"),
                                      url: server.url("/file?path=\(CollectFixtures.testdata("target.prom"))"))
        scrape.interval = .milliseconds(100)
        var sql = SQLSourceSpec(name: "app_value", database: database, query: "SELECT k, value FROM t")
        sql.interval = .milliseconds(100)
        var host = HostMetricsSpec(instance: "me")
        host.interval = .milliseconds(100)
        var specs = CollectSpecs()
        specs.scrapes = [scrape]
        specs.sqlSources = [sql]
        specs.hostMetrics = host
        collector.update(specs)
        let log = ResultLog()
        #expect(await log.wait(for: .seconds(20)) {
            (try? store.latest("up")) == 1 && (try? store.latest("app_value", ["k": "a"])) == 7
                && (try? store.latest("sql_up")) == 1 && (try? store.latest("node_load1")) != nil
        })
        #expect(collector.scrapeStatuses.all().map(\.job) == ["app"])
        specs.scrapes = []
        collector.update(specs)
        #expect(await log.wait(for: .seconds(20)) {
            (try? store.series("http_requests_total").allSatisfy { $0.samples.last?.isStale == true }) == true
        })
        #expect(collector.scrapeStatuses.all().isEmpty)
        collector.stopAll()
    }
}
