import Model
import Notify

/// One SMTP submission: envelope, the RFC 5322 message, and how to reach the server.
/// Its description never shows the password.
public struct EmailMessage: Sendable, Hashable, CustomStringConvertible {
    public var url: String
    public var tls: EmailSpec.TLS
    public var username: String?
    public var password: String?
    public var caFile: String?
    public var mailFrom: String
    public var recipients: [String]
    /// The message with CRLF line ends.
    public var data: [UInt8]

    public var description: String { "EmailMessage(\(url), from \(mailFrom), to \(recipients), \(data.count) bytes)" }
}

/// Submits messages over SMTP. The production implementation uses libcurl.
public protocol SMTPTransport: Sendable {
    /// Sends one message; failures are classified retryable (4xx, network) or permanent (5xx, TLS policy).
    func submit(_ message: EmailMessage, timeoutMilliseconds: Int64) async throws(TransportError)
}

/// Email over SMTP: `[FIRING:2] HighErrorRate api (critical)` subjects, multipart/alternative
/// text + HTML. Every header is built here from typed values, encoded (see `MIME`).
struct EmailChannel: Channel {
    let name: String
    let spec: EmailSpec
    let transport: any SMTPTransport
    let timeout: Int64

    struct RenderError: Error, CustomStringConvertible {
        var description: String
    }

    func render(_ n: GroupNotification) throws -> EmailMessage {
        try compose(subject: n.title, idSeed: n.groupKey + "\u{0}" + String(n.createdAt) + "\u{0}" + n.channel,
                    date: n.createdAt, text: EmailBody.text(n), html: EmailBody.html(n))
    }

    /// One multipart/alternative message; every header value is built and encoded here.
    func compose(subject: String, idSeed: String, date: Timestamp, text: String, html: String) throws -> EmailMessage {
        var mailboxes: [Mailbox] = []
        for text in [spec.from] + spec.to {
            guard let mailbox = Mailbox(text) else {
                throw RenderError(description: "invalid email address \(text.debugDescription)")
            }
            mailboxes.append(mailbox)
        }
        guard !spec.to.isEmpty else { throw RenderError(description: "no recipients") }
        let from = mailboxes[0], to = mailboxes.dropFirst()
        let domain = from.domain
        let id = Fingerprint.hex(idSeed)
        let boundary = "=_lookout_" + id
        var lines = [
            "Date: " + Formats.rfc5322(date),
            "From: " + from.header,
            "To: " + MIME.addressList(to.map(\.header), after: "To: "),
            "Subject: " + MIME.headerValue(subject),
            "Message-ID: <\(id)@\(domain)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["--" + boundary, "Content-Type: \(type); charset=UTF-8",
                      "Content-Transfer-Encoding: quoted-printable", "", MIME.quotedPrintable(body)]
        }
        lines += ["--" + boundary + "--", ""]
        return EmailMessage(url: spec.url, tls: spec.tls, username: spec.username, password: spec.password,
                            caFile: spec.caFile, mailFrom: from.address, recipients: to.map(\.address),
                            data: Array(lines.joined(separator: "\r\n").utf8))
    }

    func send(_ message: EmailMessage) async -> DeliveryResult {
        do {
            try await transport.submit(message, timeoutMilliseconds: timeout)
            return .delivered
        } catch {
            return HTTPClassifier.classify(error)
        }
    }
}

/// The text and HTML bodies of alert emails.
enum EmailBody {
    static func text(_ n: GroupNotification) -> String {
        var out = [n.title, ""]
        for (heading, alerts) in [("FIRING", n.firing), ("RESOLVED", n.resolved)] where !alerts.isEmpty {
            out.append("\(heading) (\(alerts.count))")
            for alert in alerts {
                out.append("- \(alert.name): \(alert.annotations["summary"] ?? "")")
                if let description = alert.annotations["description"] { out.append("  \(description)") }
                out.append("  Value: \(Formats.value(alert.value))")
                out.append("  Labels: " + alert.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))
                out.append("  Since: " + UTCTime(alert.firedAt ?? alert.activeAt).rfc3339)
                if let runbook = alert.annotations["runbook_url"] { out.append("  Runbook: \(runbook)") }
            }
            out.append("")
        }
        if !n.externalURL.isEmpty { out.append("Status page: \(n.externalURL)") }
        return out.joined(separator: "\n")
    }

    static func html(_ n: GroupNotification) -> String {
        var out = ["<!DOCTYPE html>", "<html><body style=\"font-family:sans-serif\">",
                   "<h2>\(HTMLText.escape(n.title))</h2>"]
        for (heading, alerts) in [("Firing", n.firing), ("Resolved", n.resolved)] where !alerts.isEmpty {
            let colour = heading == "Firing" ? "#E01E5A" : "#2EB67D"
            out.append("<h3 style=\"color:\(colour)\">\(heading) (\(alerts.count))</h3>")
            for alert in alerts {
                out.append("<p><b>\(HTMLText.escape(alert.name))</b> \(HTMLText.escape(alert.annotations["summary"] ?? ""))<br>")
                if let description = alert.annotations["description"] { out.append("\(HTMLText.escape(description))<br>") }
                out.append("Value: \(Formats.value(alert.value))<br>")
                let labels = alert.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
                out.append("<small>\(HTMLText.escape(labels))</small>")
                if let runbook = alert.annotations["runbook_url"], runbook.hasPrefix("http") {
                    out.append("<br><a href=\"\(HTMLText.escape(runbook))\">Runbook</a>")
                }
                out.append("</p>")
            }
        }
        if !n.externalURL.isEmpty { out.append("<p><a href=\"\(HTMLText.escape(n.externalURL))\">Status page</a></p>") }
        out.append("</body></html>")
        return out.joined(separator: "\n")
    }
}
