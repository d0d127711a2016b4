@testable import Collect
import Curl
import Model
import Testing
import TestSupport

@Suite("Probes against real loopback servers")
struct ProbeTests {
    func probe(_ path: String, _ configure: (inout ProbeSpec) -> Void = { _ in }) async throws -> ProbeResult {
        let server = try await CollectFixtures.http()
        var spec = ProbeSpec(name: "api", target: .http(url: server.url(path)))
        spec.timeout = .seconds(3)
        configure(&spec)
        return try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: 1_700_000_000_000)
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            out += c.isLetter || c.isNumber ? String(c) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
        }
        return out
    }

    static func respond(status: Int, json: String) -> String {
        "/respond?status=\(status)&type=application/json&body=\(percentEncoded(json))"
    }

    @Test func healthyEndpointSucceedsWithAllSeries() async throws {
        let result = try await probe("/ok") { $0.expect.bodyContains = "healthy" }
        #expect(result.success)
        #expect(result.reason == nil)
        #expect(result.httpStatus == 200)
        let names = result.samples.map { $0.labels[Labels.metricName]! }
        #expect(names == ["probe_success", "probe_duration_seconds", "probe_http_status_code"])
        #expect(result.samples.allSatisfy { $0.labels["check"] == "api" && $0.sample.timestamp == 1_700_000_000_000 })
        #expect(result.samples[0].sample.value == 1)
    }

    @Test func slowEndpointFailsOnLatency() async throws {
        let result = try await probe("/slow?ms=400") { $0.expect.maxLatency = .milliseconds(100) }
        #expect(!result.success)
        #expect(result.reason?.hasPrefix("latency ") == true)
        #expect(result.reason?.hasSuffix("ms > 100ms") == true)
        #expect(result.httpStatus == 200)
    }

    @Test(arguments: [500, 503, 404])
    func errorStatusFails(status: Int) async throws {
        let result = try await probe(Self.respond(status: status, json: #"{"status":"down"}"#))
        #expect(result.reason == "status \(status)")
        #expect(result.httpStatus == status)
        #expect(result.samples.first { $0.labels[Labels.metricName] == "probe_http_status_code" }?.sample.value == Double(status))
    }

    /// A page over the 1 MiB read limit is judged on its status when no condition reads the body,
    /// as blackbox_exporter and Uptime Kuma do; with a body condition it fails and says why.
    @Test(arguments: ["/big?n=3000000", "/big?n=3000000&chunked=1"])
    func largeBodyIsTruncatedUnlessABodyConditionNeedsIt(path: String) async throws {
        let plain = try await probe(path)
        #expect(plain.success && plain.reason == nil && plain.httpStatus == 200)
        let checked = try await probe(path) { $0.expect.bodyContains = "healthy" }
        #expect(checked.reason == "response body larger than 1 MiB")
    }

    @Test func explicitStatusSetAcceptsNon2xx() async throws {
        let result = try await probe(Self.respond(status: 503, json: "{}")) { $0.expect.statuses = [503] }
        #expect(result.success)
    }

    @Test func jsonFieldWithWrongValueNamesPathAndValue() async throws {
        let body = #"{"status":"degraded","checks":{"database":"unhealthy: timeout"},"items":[{"n":1},{"n":2}]}"#
        let result = try await probe(Self.respond(status: 200, json: body)) {
            $0.expect.json = [JSONExpectation(path: "items[1].n", value: .number(2)),
                              JSONExpectation(path: "checks.database", value: .string("healthy"))]
        }
        #expect(result.reason == #"checks.database was "unhealthy: timeout""#)
    }

    @Test func invalidJSONFails() async throws {
        let result = try await probe("/respond?status=200&body=not%20json") {
            $0.expect.json = [JSONExpectation(path: "status", value: .string("ok"))]
        }
        #expect(result.reason == "invalid JSON")
    }

    @Test func missingJSONFieldFails() async throws {
        let result = try await probe(Self.respond(status: 200, json: #"{"status":"ok"}"#)) {
            $0.expect.json = [JSONExpectation(path: "checks.cache", value: .string("ok"))]
        }
        #expect(result.reason == "checks.cache is missing")
    }

    @Test func bodyRegexMustMatch() async throws {
        let ok = try await probe("/ok") { $0.expect.bodyRegex = "ok\\s+heal" }
        #expect(ok.success)
        let bad = try await probe("/ok") { $0.expect.bodyRegex = "^sick" }
        #expect(bad.reason == "body does not match /^sick/")
    }

    @Test func redirectLoopFails() async throws {
        let result = try await probe("/redirect/loop")
        #expect(result.reason == "too many redirects (more than 10)")
        let limited = try await probe("/redirect/loop") { $0.maxRedirects = 2 }
        #expect(limited.reason == "too many redirects (more than 2)")
        // As blackbox_exporter: the last status seen, not 0, which means no response at all.
        #expect(result.httpStatus == 302)
    }

    @Test func refusedConnectionHasStatusZero() async throws {
        let spec = ProbeSpec(name: "down", target: .http(url: "http://127.0.0.1:\(CollectFixtures.closedPort())/"))
        let result = try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: 0)
        // The address that refused is named: the target's here, a proxy's when one is in use.
        #expect(result.reason == "connection refused by 127.0.0.1 port \(CollectFixtures.closedPort())")
        #expect(result.httpStatus == 0)
        #expect(result.samples.first { $0.labels[Labels.metricName] == "probe_http_status_code" }?.sample.value == 0)
    }

    @Test func resetMidBodyIsALostConnection() async throws {
        let result = try await probe("/reset")
        #expect(result.reason?.hasPrefix("connection lost") == true)
        #expect(result.httpStatus == 200)
    }

    @Test func unresolvableHostIsADNSFailure() async throws {
        let spec = ProbeSpec(name: "dns", target: .http(url: "http://\(unresolvableHost)/health"))
        let result = try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: 0)
        #expect(result.reason?.hasPrefix("DNS failure: ") == true)
    }

    @Test func hungEndpointTimesOut() async throws {
        let result = try await probe("/slow?ms=5000") { $0.timeout = .milliseconds(300) }
        #expect(result.reason?.hasPrefix("timeout") == true)
        #expect(result.duration >= .milliseconds(300))
    }

    @Test func certificateExpiringSoonFailsTLSMinDays() async throws {
        let tls = try await CollectFixtures.tls()
        var spec = ProbeSpec(name: "tls", target: .http(url: tls.server.url("/ok", scheme: "https")))
        spec.caFile = tls.certificate.certificatePath
        spec.tlsMinDays = 14
        let now = wallClockMilliseconds()
        let result = try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: now)
        #expect(result.reason == "TLS certificate expires in 2 days")
        let expiry = try #require(result.samples.first { $0.labels[Labels.metricName] == "probe_ssl_earliest_cert_expiry" })
        #expect(abs(expiry.sample.value - Double(now / 1000 + 2 * 86_400)) < 120)
        spec.tlsMinDays = 1
        #expect(try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: now).success)
    }

    @Test func untrustedCertificateIsATLSError() async throws {
        let tls = try await CollectFixtures.tls()
        let spec = ProbeSpec(name: "tls", target: .http(url: tls.server.url("/ok", scheme: "https")))
        let result = try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: 0)
        #expect(result.reason?.hasPrefix("TLS error: ") == true)
    }

    @Test func tcpCheckConnectsOrIsRefused() async throws {
        let server = try await CollectFixtures.http()
        let open = ProbeSpec(name: "port", target: .tcp(host: "127.0.0.1", port: server.port))
        let up = try await Prober(spec: open, loop: CollectFixtures.loop()).probe(now: 0)
        #expect(up.success)
        #expect(up.samples.count == 2)
        let closed = ProbeSpec(name: "port", target: .tcp(host: "127.0.0.1", port: CollectFixtures.closedPort()))
        #expect(try await Prober(spec: closed, loop: CollectFixtures.loop()).probe(now: 0).reason?.hasPrefix("connection refused") == true)
    }

    @Test func invalidBodyRegexIsRejectedUpFront() throws {
        var spec = ProbeSpec(name: "bad", target: .http(url: "http://127.0.0.1/"))
        spec.expect.bodyRegex = "(unclosed"
        #expect(throws: (any Error).self) { try Prober(spec: spec, loop: CollectFixtures.loop()) }
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
