import Curl
import Foundation
import Testing
import TestSupport

@Suite("SMTP submission against aiosmtpd")
struct SMTPTests {
    let directory: TemporaryDirectory
    let mailbox: String

    init() throws {
        directory = try TemporaryDirectory()
        mailbox = directory.file("mail")
        try FileManager.default.createDirectory(atPath: mailbox, withIntermediateDirectories: true)
    }

    static let message = Array((
        "From: Lookout <lookout@example.com>\r\nTo: ops@example.com\r\nSubject: test\r\n\r\n"
        + "Grüße\r\n.hidden line starts with a dot\r\nend\r\n").utf8)

    func server(_ arguments: [String]) async throws -> ScriptServer {
        try await ScriptServer.launch(script: "loopback_smtp.py", arguments: ["--dir", mailbox] + arguments)
    }

    func delivered() throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: mailbox).filter { $0.hasSuffix(".eml") }
        guard let first = files.first else { return "" }
        return try String(contentsOfFile: "\(mailbox)/\(first)", encoding: .utf8)
    }

    func submission(_ server: ScriptServer, scheme: String = "smtp") -> SMTPMessage {
        SMTPMessage(url: "\(scheme)://localhost:\(server.port)/lookout.test", from: "lookout@example.com",
                    recipients: ["ops@example.com", "dev@example.com"], message: Self.message)
    }

    @Test func plainSubmissionDeliversMessageToAllRecipients() async throws {
        let server = try await server([])
        var message = submission(server)
        message.security = .none
        let result = try await Fixtures.loop.get().send(message)
        #expect(result.responseCode == 250)
        let stored = try delivered()
        #expect(stored.contains("X-MailFrom: lookout@example.com"))
        #expect(stored.contains("X-RcptTo: ops@example.com, dev@example.com"))
        #expect(stored.contains("\r\n.hidden line starts with a dot\r\n"))
        #expect(stored.contains("Grüße"))
    }

    @Test func startTLSWithAuthDelivers() async throws {
        let certificate = try await Fixtures.tls().certificate
        let server = try await server(["--starttls", certificate.certificatePath, certificate.keyPath, "--auth", "bot:s3cret"])
        var message = submission(server)
        message.caFile = certificate.certificatePath
        message.username = "bot"
        message.password = "s3cret"
        #expect(try await Fixtures.loop.get().send(message).responseCode == 250)
        #expect(try delivered().contains("Subject: test"))
    }

    @Test func wrongPasswordIsLoginDenied() async throws {
        let certificate = try await Fixtures.tls().certificate
        let server = try await server(["--starttls", certificate.certificatePath, certificate.keyPath, "--auth", "bot:s3cret"])
        var message = submission(server)
        message.caFile = certificate.certificatePath
        message.username = "bot"
        message.password = "wrong"
        let error = await curlError { _ = try await Fixtures.loop.get().send(message) }
        #expect(error?.kind == .loginDenied)
        #expect(error?.isRetryable == false)
        #expect(error.map { !"\($0)".contains("wrong") } == true)
    }

    @Test func requiredSTARTTLSIsNotSkippedWhenTheServerLacksIt() async throws {
        let server = try await server([])
        let error = await curlError { _ = try await Fixtures.loop.get().send(submission(server)) }
        #expect(error?.kind == .tls)
        #expect(try delivered().isEmpty)
    }

    @Test func implicitTLSDelivers() async throws {
        let certificate = try await Fixtures.tls().certificate
        let server = try await server(["--smtps", certificate.certificatePath, certificate.keyPath])
        var message = submission(server, scheme: "smtps")
        message.caFile = certificate.certificatePath
        #expect(message.security == .implicitTLS)
        #expect(try await Fixtures.loop.get().send(message).responseCode == 250)
    }

    @Test(arguments: [("451 try again later", true), ("554 rejected", false)])
    func serverReplyDecidesRetry(reply: String, retryable: Bool) async throws {
        let server = try await server(["--reply", reply])
        var message = submission(server)
        message.security = .none
        let error = try #require(await curlError { _ = try await Fixtures.loop.get().send(message) })
        #expect(error.responseCode == Int(reply.prefix(3)))
        #expect(error.isRetryable == retryable)
    }

    @Test func refusalCarriesTheServersWords() async throws {
        let server = try await server(["--reply", "554 5.7.1 Message rejected: SPF check failed"])
        var message = submission(server)
        message.security = .none
        let error = try #require(await curlError { _ = try await Fixtures.loop.get().send(message) })
        #expect(error.message.hasSuffix("; server replied \"554 5.7.1 Message rejected: SPF check failed\""))
    }
}
