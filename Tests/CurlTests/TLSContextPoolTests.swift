import CCurl
@testable import Curl
import Foundation
import Testing
import TestSupport

/// Recycled OpenSSL contexts (CCurl/ctx_pool.c): reused, and nothing of one connection's trust
/// or settings reaches the next. Other suites run beside this one in the same process and use
/// the same pool, so the counts are compared as "at least".
@Suite("Recycled TLS contexts")
struct TLSContextPoolTests {
    @Test func contextsAreReusedAndComeBackWithNewSettings() async throws {
        let tls = try await Fixtures.tls()
        let loop = try Fixtures.loop.get()
        let before = TLSContextPool.stats
        var probe = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        probe.caFile = tls.certificate.certificatePath
        probe.captureCertificates = true
        var pooled = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        pooled.caFile = tls.certificate.certificatePath
        var insecure = pooled
        insecure.insecure = true
        insecure.freshConnection = true
        for request in [probe, insecure, probe, pooled, probe] {
            #expect(try await loop.perform(request).status == 200)
        }
        let after = TLSContextPool.stats
        // Five handshakes one after another: all but the first can take a context back.
        #expect(after.reused - before.reused >= 4)
        #expect(after.created + after.reused - before.created - before.reused >= 5)
        #expect(TLSContextPool.idleContextsAreFresh)
    }

    @Test func trustNeverCarriesOverToTheNextConnection() async throws {
        let tls = try await Fixtures.tls()
        let loop = try Fixtures.loop.get()
        let directory = try TemporaryDirectory()
        var verified = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        verified.freshConnection = true
        var insecure = verified
        insecure.insecure = true
        var trusted = verified
        trusted.caFile = tls.certificate.certificatePath
        for round in 0..<3 {
            // A pooled transfer has libcurl load its CA file into the context's store; a new
            // path each round, so that libcurl's own cache of one store cannot stand in.
            var pooledTrusted = trusted
            pooledTrusted.freshConnection = false
            pooledTrusted.caFile = directory.file("ca-\(round).pem")
            try FileManager.default.copyItem(atPath: tls.certificate.certificatePath, toPath: pooledTrusted.caFile!)
            for previous in [insecure, trusted, pooledTrusted] {
                // The context `verified` leaves behind holds the system bundle's store.
                _ = await curlError { _ = try await loop.perform(verified) }
                #expect(try await loop.perform(previous).status == 200)
                // The system bundle does not have the test certificate, whatever ran before.
                let error = await curlError { _ = try await loop.perform(verified) }
                #expect(error?.kind == .tls)
                #expect(error?.message.contains("self-signed certificate") == true)
            }
        }
        #expect(TLSContextPool.idleContextsAreFresh)
    }

    @Test func optionsWhoseContextSettingsCannotBeResetAreRefused() throws {
        let transfer = try Transfer()
        for (option, value) in [(CURLOPT_SSL_CIPHER_LIST, "DEFAULT"), (CURLOPT_SSL_EC_CURVES, "X25519"),
                                (CURLOPT_SSLCERT, "/dev/null"), (CURLOPT_TLSAUTH_USERNAME, "user")] {
            #expect(throws: CurlError.self) { try transfer.set(option, value) }
        }
        try transfer.set(CURLOPT_TLS13_CIPHERS, "TLS_AES_128_GCM_SHA256")
    }
}
