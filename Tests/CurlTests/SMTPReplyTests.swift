@testable import Curl
import Testing

@Suite("The server's words for a refused SMTP submission")
struct SMTPReplyTests {
    @Test func lastRefusalIsKeptWithItsCode() {
        let lines = ["220 mx ESMTP\r\n", "250 OK\r\n", "550 5.1.1 <ops@example.com>: Recipient address rejected\r\n"]
        #expect(SMTPReply.refusal(in: lines) == "550 5.1.1 <ops@example.com>: Recipient address rejected")
    }

    @Test func multiLineReplyIsJoined() {
        let lines = ["250 OK\r\n", "554-5.7.1 Message rejected\r\n", "554-see https://example.com/policy\r\n", "554 5.7.1 spam\r\n"]
        #expect(SMTPReply.refusal(in: lines) == "554 5.7.1 Message rejected see https://example.com/policy 5.7.1 spam")
    }

    @Test func anEarlierReplyWithTheSameCodeIsNotJoined() {
        #expect(SMTPReply.refusal(in: ["451 first\r\n", "451 second\r\n"]) == "451 second")
    }

    @Test func successAndNoReplyGiveNothing() {
        #expect(SMTPReply.refusal(in: ["220 ready\r\n", "250 OK\r\n"]) == nil)
        #expect(SMTPReply.refusal(in: []) == nil)
        #expect(SMTPReply.refusal(in: ["HTTP/1.1 500 oops\r\n"]) == nil)
    }

    @Test func controlCharactersAndLengthAreBounded() throws {
        let reply = try #require(SMTPReply.refusal(in: ["550 a\u{1B}[31mred\u{7}\r\n"]))
        #expect(reply == "550 a [31mred")
        let long = try #require(SMTPReply.refusal(in: ["550 " + String(repeating: "x", count: 5_000) + "\r\n"]))
        #expect(long.count == 4 + SMTPReply.maxCharacters + 1)
    }
}
