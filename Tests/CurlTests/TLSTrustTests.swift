@testable import Curl
import Foundation
import Testing
import TestSupport

/// The process-wide CA stores (CCurl/tls.c) and the certificate expiry read from the peer chain.
@Suite("TLS trust stores and certificate expiry")
struct TLSTrustTests {
    @Test func storesForDifferentCAFilesDoNotMix() async throws {
        let tls = try await Fixtures.tls()
        let loop = try Fixtures.loop.get()
        // Alternating between the system bundle and a check's CA file: each keeps its own store.
        var system = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        system.freshConnection = true
        for _ in 0..<2 {
            let error = await curlError { _ = try await loop.perform(system) }
            #expect(error?.kind == .tls)
            #expect(error?.message.contains("self-signed certificate") == true)
            var trusted = system
            trusted.caFile = tls.certificate.certificatePath
            #expect(try await loop.perform(trusted).status == 200)
        }
    }

    @Test func missingCAFileIsReportedByLibcurl() async throws {
        let tls = try await Fixtures.tls()
        var request = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        request.caFile = "/nonexistent/lookout-ca.pem"
        request.freshConnection = true
        let error = await curlError { _ = try await Fixtures.loop.get().perform(request) }
        #expect(error?.kind == .tls)
        #expect(error?.message.contains("/nonexistent/lookout-ca.pem") == true)
    }

    @Test func aCAFileThatIsAFIFOFailsTheTransferInsteadOfBlockingTheLoop() async throws {
        let tls = try await Fixtures.tls()
        let directory = try TemporaryDirectory()
        let fifo = directory.file("ca.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        for fresh in [true, false] {
            var request = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
            request.caFile = fifo
            request.freshConnection = fresh
            let error = await curlError { _ = try await Fixtures.loop.get().perform(request) }
            #expect(error?.kind == .tls)
            #expect(error?.message == "CA file \"\(fifo)\" is not a regular file")
        }
        // The loop still serves other transfers.
        var request = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        request.caFile = tls.certificate.certificatePath
        #expect(try await Fixtures.loop.get().perform(request).status == 200)
    }

    @Test func changedCAFileIsReadAgain() async throws {
        let tls = try await Fixtures.tls()
        let directory = try TemporaryDirectory()
        let other = try await SelfSignedCertificate.make(in: directory, days: 2)
        let caFile = directory.file("ca.pem")
        try FileManager.default.copyItem(atPath: other.certificatePath, toPath: caFile)
        var request = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        request.caFile = caFile
        request.freshConnection = true
        let error = await curlError { _ = try await Fixtures.loop.get().perform(request) }
        #expect(error?.kind == .tls)
        try FileManager.default.removeItem(atPath: caFile)
        try FileManager.default.copyItem(atPath: tls.certificate.certificatePath, toPath: caFile)
        #expect(try await Fixtures.loop.get().perform(request).status == 200)
    }

    @Test func expiryIsReadEvenWithoutVerification() async throws {
        let tls = try await Fixtures.tls()
        var request = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        request.insecure = true
        request.captureCertificates = true
        let expiry = try #require(try await Fixtures.loop.get().perform(request).certificateExpiry)
        #expect(abs(expiry - (Int64(time(nil)) + 2 * 86_400)) < 120)
    }

    @Test func everyProbeConnectionIsANewHandshake() async throws {
        let tls = try await Fixtures.tls()
        var request = HTTPRequest(url: tls.server.url("/ok", scheme: "https"))
        request.caFile = tls.certificate.certificatePath
        request.captureCertificates = true
        for _ in 0..<3 {
            #expect(try await Fixtures.loop.get().perform(request).tlsSessionResumed == false)
        }
    }

    @Test func expiredCertificateFailsVerificationAndIsDatedWhenInsecure() async throws {
        let directory = try TemporaryDirectory()
        let expired = try await SelfSignedCertificate.expired(in: directory)
        let server = try await ScriptServer.launch(
            script: "loopback_http.py", arguments: ["--cert", expired.certificatePath, "--key", expired.keyPath])
        var request = HTTPRequest(url: server.url("/ok", scheme: "https"))
        request.caFile = expired.certificatePath
        request.captureCertificates = true
        let error = await curlError { _ = try await Fixtures.loop.get().perform(request) }
        #expect(error?.kind == .tls)
        #expect(error?.message.contains("certificate has expired") == true)
        request.insecure = true
        let expiry = try #require(try await Fixtures.loop.get().perform(request).certificateExpiry)
        #expect(abs(expiry - (Int64(time(nil)) - 86_400)) < 120)
    }
}
