@testable import Collect
import Curl
import Model
import Testing
import TestSupport

/// HTTPS checks verify against the system bundle unless `ca_file` says otherwise, and report an
/// expired certificate both with and without verification.
@Suite("HTTPS probes: trust and expired certificates")
struct ProbeTLSTests {
    @Test func selfSignedNeedsCAFileOrInsecure() async throws {
        let tls = try await CollectFixtures.tls()
        var spec = ProbeSpec(name: "tls", target: .http(url: tls.server.url("/ok", scheme: "https")))
        let loop = try CollectFixtures.loop()
        // Interleaved, as a scheduler runs checks with and without ca_file side by side.
        for _ in 0..<2 {
            spec.caFile = nil
            spec.insecure = false
            #expect(try await Prober(spec: spec, loop: loop).probe(now: 0).reason?.contains("self-signed certificate") == true)
            spec.caFile = tls.certificate.certificatePath
            #expect(try await Prober(spec: spec, loop: loop).probe(now: 0).success)
            spec.caFile = nil
            spec.insecure = true
            #expect(try await Prober(spec: spec, loop: loop).probe(now: 0).success)
        }
    }

    @Test func expiredCertificateIsReported() async throws {
        let directory = try TemporaryDirectory()
        let expired = try await SelfSignedCertificate.expired(in: directory)
        let server = try await ScriptServer.launch(
            script: "loopback_http.py", arguments: ["--cert", expired.certificatePath, "--key", expired.keyPath])
        var spec = ProbeSpec(name: "expired", target: .http(url: server.url("/ok", scheme: "https")))
        spec.caFile = expired.certificatePath
        spec.tlsMinDays = 14
        let now = wallClockMilliseconds()
        let verified = try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: now)
        #expect(verified.reason?.hasPrefix("TLS error: SSL certificate problem: certificate has expired") == true)
        spec.insecure = true
        let skipped = try await Prober(spec: spec, loop: CollectFixtures.loop()).probe(now: now)
        #expect(skipped.reason == "TLS certificate expired")
        let expiry = try #require(skipped.samples.first { $0.labels[Labels.metricName] == "probe_ssl_earliest_cert_expiry" })
        #expect(abs(expiry.sample.value - Double(now / 1000 - 86_400)) < 120)
    }
}
