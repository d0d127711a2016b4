import CCurl
@testable import Curl
import Foundation
import Testing
import TestSupport

/// Peer certificates decoded once per DER (CCurl/x509_cache.c): the same bytes give the same
/// decoded certificate, and everything a handshake checks is still checked every time. Other
/// suites share the process-wide counts, so they are compared as "at least".
@Suite("Decoded peer certificates")
struct TLSCertificateCacheTests {
    @Test func aCertificateIsDecodedOnceAndStillVerifiedEveryTime() async throws {
        let directory = try TemporaryDirectory()
        let expired = try await SelfSignedCertificate.expired(in: directory)
        let server = try await ScriptServer.launch(
            script: "loopback_http.py", arguments: ["--cert", expired.certificatePath, "--key", expired.keyPath])
        let loop = try Fixtures.loop.get()
        var insecure = HTTPRequest(url: server.url("/ok", scheme: "https"))
        insecure.insecure = true
        insecure.captureCertificates = true
        var verified = insecure
        verified.insecure = false
        verified.caFile = expired.certificatePath
        let before = TLSCertificateCache.stats
        for _ in 0..<3 {
            // Decoded (or found) without verification...
            let expiry = try #require(try await loop.perform(insecure).certificateExpiry)
            #expect(abs(expiry - (Int64(time(nil)) - 86_400)) < 120)
            // ...and still refused as expired when verified, however often it was seen.
            let error = await curlError { _ = try await loop.perform(verified) }
            #expect(error?.kind == .tls)
            #expect(error?.message.contains("certificate has expired") == true)
        }
        // Six handshakes with the same certificate: at most the first decodes it.
        #expect(TLSCertificateCache.stats.hits - before.hits >= 5)
    }

    @Test func aChangedCertificateIsDecodedAgain() async throws {
        var servers: [(tls: LoopbackTLSServer, days: Int64)] = []
        for days in [2, 30] { servers.append((try await LoopbackTLSServer.launch(days: days), Int64(days))) }
        let loop = try Fixtures.loop.get()
        for _ in 0..<3 {
            for (index, entry) in servers.enumerated() {
                var request = HTTPRequest(url: entry.tls.server.url("/ok", scheme: "https"))
                request.caFile = entry.tls.certificate.certificatePath
                request.captureCertificates = true
                // Each server's own certificate, never the other's.
                let expiry = try #require(try await loop.perform(request).certificateExpiry)
                #expect(abs(expiry - (Int64(time(nil)) + entry.days * 86_400)) < 120)
                request.caFile = servers[1 - index].tls.certificate.certificatePath
                let error = await curlError { _ = try await loop.perform(request) }
                #expect(error?.kind == .tls)
            }
        }
    }
}
