import Foundation
import Model
import Notify
import Testing
@testable import Channels

@Suite struct EmailSafetyTests {
    let channel = EmailChannel(name: "ops", spec: EmailSpec(url: "smtp://mail:25", from: "alerts@example.com", to: ["ops@example.com"]),
                               transport: NoTransport(), timeout: 1)

    func message(labels: Labels, annotations: Labels = Labels()) throws -> String {
        let alert = Alert(labels: labels, annotations: annotations, state: .firing, value: 1, activeAt: 0, firedAt: 0)
        let n = GroupNotification(channel: "ops", groupKey: "k", groupLabels: labels.keeping(["alertname", "job"]),
                                  alerts: [alert], createdAt: 0)
        return String(decoding: try channel.render(n).data, as: UTF8.self)
    }

    /// The header block: everything before the first empty line.
    func headers(_ message: String) -> [String] {
        Array(message.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n"))
    }

    @Test(arguments: ["x\r\nBcc: evil@x", "x\nBcc: evil@x", "x\rBcc: evil@x", "x\r\n\r\nbody", "x\u{85}Bcc: evil@x"])
    func labelsCannotAddHeaders(value: String) throws {
        let text = try message(labels: ["alertname": value, "job": "api"], annotations: ["summary": value])
        let names = headers(text).filter { !$0.hasPrefix(" ") }.map { $0.prefix { $0 != ":" } }
        #expect(names == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Auto-Submitted", "Content-Type"])
        #expect(!headers(text).contains { $0.lowercased().hasPrefix("bcc") })
    }

    @Test func noBodyLineIsADotOrBareLineEnd() throws {
        let text = try message(labels: ["alertname": "A", "job": "api"], annotations: ["summary": "a\n.\nQUIT\r\n.\r\nMAIL FROM:<x@y>"])
        let lines = text.components(separatedBy: "\r\n")
        #expect(!lines.contains("."))
        #expect(!lines.contains { $0.hasPrefix(".") })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
    }

    @Test func nonASCIISubjectIsEncodedWords() throws {
        let text = try message(labels: ["alertname": "Größe überschritten", "job": "api"])
        let subject = headers(text).first { $0.hasPrefix("Subject: ") }!
        #expect(subject.hasPrefix("Subject: =?UTF-8?Q?"))
        #expect(subject.allSatisfy { $0.isASCII })
        #expect(MIME.encodedWords("Größe") == "=?UTF-8?Q?Gr=C3=B6=C3=9Fe?=")
    }

    @Test func longEncodedSubjectsFoldWithinLimits() {
        let folded = MIME.headerValue(String(repeating: "ü", count: 100))
        let words = folded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?Q?") && $0.hasSuffix("?=") })
    }

    @Test(arguments: ["a@b.c\r\nRCPT TO:<evil@x>", "A <a@b> B", "A <a@b", "A <a b@c>", "x\r\nBcc: <evil@x>", "A\u{85} <a@b>",
                      "A <x> <a@b>", "a b@c", "no-at", "a@b,c@d", "a@b@c", "Ops <a@b>, Evil <evil@x>",
                      "Ops\r\nBcc: evil@x <a@b>", "Ops <a@b>>"])
    func unsafeAddressesAreRefused(address: String) {
        let bad = EmailChannel(name: "ops", spec: EmailSpec(url: "smtp://m", from: "alerts@example.com", to: [address]),
                               transport: NoTransport(), timeout: 1)
        #expect(throws: EmailChannel.RenderError.self) { try bad.render(Samples.firingGroup) }
    }

    @Test func manyRecipientsFoldTheToHeader() throws {
        let recipients = (1...80).map { "oncall-\($0)@example.com" }
        let many = EmailChannel(name: "ops", spec: EmailSpec(url: "smtp://m", from: "alerts@example.com", to: recipients),
                                transport: NoTransport(), timeout: 1)
        let message = try many.render(Samples.firingGroup)
        let text = String(decoding: message.data, as: UTF8.self)
        let lines = headers(text)
        let to = lines.drop { !$0.hasPrefix("To: ") }.prefix { $0.hasPrefix("To: ") || $0.hasPrefix(" ") }
        #expect(to.count > 1 && to.allSatisfy { $0.utf8.count <= 78 })
        #expect(to.joined().dropFirst(4) == recipients.joined(separator: ", ")[...])
        #expect(message.recipients == recipients)
    }

    @Test func quotedPrintableRoundTrips() {
        #expect(MIME.quotedPrintable("a=b ü\n.dot\ntrail ") == "a=3Db =C3=BC\r\n=2Edot\r\ntrail=20")
        let long = MIME.quotedPrintable(String(repeating: "x", count: 200))
        #expect(long.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
    }
}
