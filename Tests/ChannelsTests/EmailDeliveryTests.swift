import Curl
import Foundation
import Model
import Notify
import Testing
import TestSupport
@testable import Channels

@Suite(.serialized) struct EmailDeliveryTests {
    let loop: CurlLoop
    let dir: TemporaryDirectory
    let mailbox: String

    init() throws {
        loop = try CurlLoop()
        dir = try TemporaryDirectory()
        mailbox = dir.file("mail")
        try FileManager.default.createDirectory(atPath: mailbox, withIntermediateDirectories: true)
    }

    func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: mailbox).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try String(contentsOfFile: "\(mailbox)/\($0)", encoding: .utf8) }
    }

    @Test func startTLSWithAuthDeliversAndLabelsCannotInjectHeadersOrRecipients() async throws {
        let cert = try await SelfSignedCertificate.make(in: dir, days: 2)
        let server = try await ScriptServer.launch(script: "loopback_smtp.py", arguments: [
            "--dir", mailbox, "--starttls", cert.certificatePath, cert.keyPath, "--auth", "bot:pa55word"])
        let spec = EmailSpec(url: "smtp://localhost:\(server.port)", username: "bot", password: "pa55word",
                             from: "alerts@example.com", to: ["ops@example.com", "dev@example.com"], caFile: cert.certificatePath)
        let rig = try NotifierRig(channels: ["ops": .email(spec)], databasePath: dir.file("n.db"), loop: loop)
        let evil = alert("HighErrorRate\r\nBcc: evil@x", extra: ["job": "api\r\n\r\nRCPT TO:<evil@x>"])
        var annotated = evil
        annotated.annotations = ["summary": "Größe\r\n.\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<evil@x>\r\nDATA"]
        await rig.notifier.receive(alerts: [annotated])
        #expect(await eventually { await rig.delivered("ops") == 1 })
        await rig.stop()
        let stored = try messages()
        #expect(stored.count == 1)
        let message = stored[0]
        let header = message.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(header.contains("X-RcptTo: ops@example.com, dev@example.com"))
        let names = header.filter { !$0.hasPrefix(" ") && !$0.hasPrefix("\t") }.map { String($0.prefix { $0 != ":" }) }
        #expect(names == ["X-MailFrom", "X-RcptTo", "Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                          "Auto-Submitted", "Content-Type"])
        #expect(header.first { $0.hasPrefix("Subject: ") } == "Subject: [FIRING:1] HighErrorRate  Bcc: evil@x (critical)")
        #expect(message.contains("Content-Type: multipart/alternative;"))
        #expect(message.contains("Gr=C3=B6=C3=9Fe"))
        #expect(!rig.logs.text.contains("pa55word"))
    }

    @Test func displayNamesStayInTheHeadersAndOutOfTheEnvelope() async throws {
        // The reference config's `from: "Lookout <lookout@example.com>"` form, as `lookout check` accepts it.
        let server = try await ScriptServer.launch(script: "loopback_smtp.py", arguments: ["--dir", mailbox])
        let spec = EmailSpec(url: "smtp://localhost:\(server.port)", tls: .none, from: "Lookout \"Alerts\" <alerts@example.com>",
                             to: ["Überwachung <ops@example.com>", "dev@example.com"])
        let channel = EmailChannel(name: "ops", spec: spec, transport: CurlTransport(loop: loop), timeout: 5000)
        #expect(await channel.deliver(Samples.firingGroup) == .delivered)
        let stored = try messages()
        #expect(stored.count == 1)
        let header = stored.first?.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n") ?? []
        #expect(header.contains("X-MailFrom: alerts@example.com"))
        #expect(header.contains("X-RcptTo: ops@example.com, dev@example.com"))
        #expect(header.contains(#"From: "Lookout \"Alerts\"" <alerts@example.com>"#), "\(header)")
        #expect(header.contains("To: =?UTF-8?Q?=C3=9Cberwachung?= <ops@example.com>, dev@example.com"), "\(header)")
    }

    @Test func requiredSTARTTLSFailsPermanentlyAgainstPlainServer() async throws {
        let server = try await ScriptServer.launch(script: "loopback_smtp.py", arguments: ["--dir", mailbox])
        let transport = CurlTransport(loop: loop)
        let channel = EmailChannel(name: "ops", spec: EmailSpec(url: "smtp://localhost:\(server.port)", from: "a@example.com",
                                                                to: ["b@example.com"]), transport: transport, timeout: 5000)
        let result = await channel.deliver(Samples.firingGroup)
        guard case .permanent = result else {
            Issue.record("expected a permanent failure, got \(result)")
            return
        }
        #expect(try messages().isEmpty)
        var plain = EmailSpec(url: "smtp://localhost:\(server.port)", tls: .none, from: "a@example.com", to: ["b@example.com"])
        plain.tls = .none
        let ok = EmailChannel(name: "ops", spec: plain, transport: transport, timeout: 5000)
        #expect(await ok.deliver(Samples.firingGroup) == .delivered)
        #expect(try messages().count == 1)
    }

    /// `from: "Lookout <lookout@example.com>"`, as the reference config writes it, is accepted by
    /// `lookout check`; the envelope gets the bare addresses and the headers the display names.
    @Test func displayNamesGoToHeadersAndBareAddressesToTheEnvelope() async throws {
        let server = try await ScriptServer.launch(script: "loopback_smtp.py", arguments: ["--dir", mailbox])
        let spec = EmailSpec(url: "smtp://localhost:\(server.port)", tls: .none, from: "Lookout <lookout@example.com>",
                             to: ["ops@example.com", "Jörg \"On Call\" <oncall@example.com>", "<bare@example.com>"])
        let channel = EmailChannel(name: "ops", spec: spec, transport: CurlTransport(loop: loop), timeout: 5000)
        #expect(await channel.deliver(Samples.firingGroup) == .delivered)
        let stored = try messages()
        #expect(stored.count == 1)
        let header = stored.first?.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n") ?? []
        #expect(header.contains("X-MailFrom: lookout@example.com"))
        #expect(header.contains("X-RcptTo: ops@example.com, oncall@example.com, bare@example.com"))
        #expect(header.contains("From: \"Lookout\" <lookout@example.com>"))
        #expect(header.contains("To: ops@example.com, =?UTF-8?Q?J=C3=B6rg_=22On_Call=22?= <oncall@example.com>,"))
        #expect(header.contains(" bare@example.com"))  // folded: the line would pass 78 characters
        #expect(header.contains { $0.hasPrefix("Message-ID: <") && $0.hasSuffix("@example.com>") })
    }
}
