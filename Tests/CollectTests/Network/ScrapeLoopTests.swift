@testable import Collect
import Curl
import Exposition
import Model
import Testing
import TestSupport

@Suite("Scrape loop against real loopback servers")
struct ScrapeLoopTests {
    let store = MemorySeriesStore()
    let statuses = ScrapeStatusStore()

    func scrape(_ path: String, _ configure: (inout ScrapeTargetSpec) -> Void = { _ in }) async throws -> ScrapeJob {
        let server = try await CollectFixtures.http()
        var spec = ScrapeTargetSpec(target: ScrapeTarget(job: "api", instance: "127.0.0.1:\(server.port)",
                                                         labels: Labels(["team": "core"])),
                                    url: server.url(path))
        spec.timeout = .seconds(3)
        configure(&spec)
        let job = ScrapeJob(spec: spec, loop: try CollectFixtures.loop(), appender: store, statuses: statuses,
                            logger: CollectFixtures.logger)
        await job.runOnce(at: 1_700_000_000_000)
        return job
    }

    static func file(_ name: String, gzip: Bool = false) -> String {
        "/file?path=\(CollectFixtures.testdata(name))\(gzip ? "&gzip=1" : "")"
    }

    @Test(arguments: [false, true])
    func goodPayloadIsStoredWithTargetLabels(gzip: Bool) async throws {
        _ = try await scrape(Self.file("target.prom", gzip: gzip))
        #expect(try store.latest("up") == 1)
        #expect(try store.latest("http_requests_total", ["method": "post", "job": "api", "team": "core"]) == 3)
        #expect(try store.latest("process_resident_memory_bytes") == 25_000_000)
        #expect(try store.latest("scrape_samples_scraped") == 3)
        let status = try #require(statuses.all().first)
        #expect(status.lastError == nil)
        #expect(status.samplesScraped == 3)
    }

    @Test func serverErrorSetsUpZero() async throws {
        _ = try await scrape("/respond?status=500&body=oops")
        #expect(try store.latest("up") == 0)
        #expect(try store.series("http_requests_total").isEmpty)
        #expect(statuses.all().first?.lastError == "server returned HTTP status 500")
    }

    @Test func garbageIsMalformed() async throws {
        _ = try await scrape(Self.file("garbage.prom"))
        #expect(try store.latest("up") == 0)
        #expect(statuses.all().first?.lastError?.hasPrefix("malformed payload") == true)
    }

    @Test func slowTargetTimesOut() async throws {
        _ = try await scrape("/slow?ms=5000") { $0.timeout = .milliseconds(300) }
        #expect(try store.latest("up") == 0)
        #expect(statuses.all().first?.lastError?.contains("timeout") == true)
        #expect(try store.latest("scrape_duration_seconds").map { $0 > 0.2 } == true)
    }

    @Test func closeMidBodyStoresNothingPartial() async throws {
        _ = try await scrape("/reset")
        #expect(try store.latest("up") == 0)
        #expect(try store.series("up").count == 1)
    }

    @Test func bodyOverTheLimitFails() async throws {
        _ = try await scrape("/big?n=100000&chunked=1") { $0.bodySizeLimit = 10_000 }
        #expect(try store.latest("up") == 0)
        #expect(statuses.all().first?.lastError?.contains("too large") == true)
    }

    @Test func sampleLimitFailsTheWholeScrape() async throws {
        _ = try await scrape(Self.file("target.prom")) { $0.target.sampleLimit = 2 }
        #expect(try store.latest("up") == 0)
        #expect(try store.series("http_requests_total").isEmpty)
        #expect(statuses.all().first?.lastError?.hasPrefix("sample limit exceeded") == true)
    }

    @Test func requestCarriesAcceptAndTimeoutHeaders() async throws {
        _ = try await scrape("/metrics/echo-headers") { $0.timeout = .seconds(2) }
        let headers = try store.series("echo_header").reduce(into: [String: String]()) {
            $0[$1.labels["name"] ?? ""] = $1.labels["value"]
        }
        #expect(headers["accept"] == ExpositionFormat.acceptHeader)
        #expect(headers["x-prometheus-scrape-timeout-seconds"] == "2")
        #expect(headers["accept-encoding"] == "gzip")
    }

    @Test func retiredTargetGetsStaleMarkers() async throws {
        let job = try await scrape(Self.file("target.prom"))
        await job.retire(at: 1_700_000_015_000)
        let last = try #require(try store.series("http_requests_total").first?.samples.last)
        #expect(last.isStale)
        #expect(statuses.all().isEmpty)
    }
}
