import Curl
import Glibc
import Testing
import TestSupport

@Suite("HTTPS with a self-signed certificate")
struct TLSTests {
    let certificate: SelfSignedCertificate
    let server: ScriptServer

    init() async throws {
        let tls = try await Fixtures.tls()
        certificate = tls.certificate
        server = tls.server
    }

    @Test func untrustedCertificateIsATLSError() async throws {
        let error = await curlError {
            _ = try await Fixtures.loop.get().perform(HTTPRequest(url: server.url("/ok", scheme: "https")))
        }
        #expect(error?.kind == .tls)
        #expect(error?.isRetryable == false)
    }

    @Test func trustedCAFileGivesResponseAndCertificateExpiry() async throws {
        var request = HTTPRequest(url: server.url("/ok", scheme: "https"))
        request.caFile = certificate.certificatePath
        request.captureCertificates = true
        let response = try await Fixtures.loop.get().perform(request)
        #expect(response.status == 200)
        #expect(response.timings.tlsHandshake > .zero)
        let expiry = try #require(response.certificateExpiry)
        let inTwoDays = Int64(time(nil)) + 2 * 86_400
        #expect(abs(expiry - inTwoDays) < 120)
    }

    @Test func insecureSkipsVerification() async throws {
        var request = HTTPRequest(url: server.url("/ok", scheme: "https"))
        request.insecure = true
        #expect(try await Fixtures.loop.get().perform(request).status == 200)
    }
}
