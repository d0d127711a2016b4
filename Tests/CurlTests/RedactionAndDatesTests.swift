@testable import Curl
import Testing

@Suite("Secrets redaction and certificate dates")
struct RedactionAndDatesTests {
    @Test(arguments: [
        ("https://user:pa55@hooks.example.com/services/T0?token=abc#x", "https://hooks.example.com/services/T0?REDACTED"),
        ("smtp://mail.example.com:587", "smtp://mail.example.com:587"),
        ("http://h/p?q", "http://h/p?REDACTED"),
        ("http://a@b@host/", "http://host/"),
    ])
    func urlsLoseCredentialsAndQuery(url: String, expected: String) {
        #expect(Redaction.redactURL(Substring(url)) == expected)
    }

    @Test func freeTextRedactsEveryURL() {
        let text = "failed: http://u:p@h/x?k=v then https://h2/?s=1 done"
        #expect(Redaction.redactURLs(in: text) == "failed: http://h/x?REDACTED then https://h2/?REDACTED done")
        let error = CurlError(kind: .other, code: 1, message: "bad https://x:secret@h/?token=secret")
        #expect(!error.description.contains("secret"))
    }

    @Test(arguments: [
        ("Nov 25 16:40:00 2026 GMT", Int64(1_795_624_800)),
        ("Jan  1 00:00:00 2030 GMT", Int64(1_893_456_000)),
        ("2026-11-25 16:40:00 GMT", Int64(1_795_624_800)),
    ])
    func certificateDatesParse(text: String, expected: Int64) {
        #expect(CertificateInfo.parseDate(Substring(text)) == expected)
    }

    @Test func garbageDateIsNil() {
        #expect(CertificateInfo.parseDate("soon") == nil)
    }
}
