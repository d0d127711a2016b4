import Foundation
import Model

/// Decoding of `notify.channels`.
enum ChannelDecoder {
    static let kinds = ["pagerduty", "slack", "email", "webhook", "log"]
    static let pagerDutySeverities = ["critical", "error", "warning", "info"]

    static func decode(name: String, _ cursor: Cursor) -> ChannelConfig? {
        guard let fields = cursor.fields(kinds) else { return nil }
        let present = kinds.filter { fields.keyPositions[$0] != nil }
        guard present.count == 1, let key = present.first else {
            if present.isEmpty {
                cursor.error("missing the channel kind: set one of pagerduty, slack, email, webhook or log")
            } else {
                cursor.error("a channel has exactly one kind, found \(present.joined(separator: " and "))",
                             at: fields.keyPositions[present[1]]!)
            }
            return nil
        }
        // `log:` with nothing after it is a complete channel, so a null value is fine here.
        let body = fields[key]
        let kind: ChannelConfig.Kind?
        switch key {
        case "pagerduty": kind = body.flatMap(pagerDuty).map { .pagerduty($0) }
        case "slack": kind = body.flatMap(slack).map { .slack($0) }
        case "email": kind = body.flatMap(email).map { .email($0) }
        case "webhook": kind = body.flatMap(webhook).map { .webhook($0) }
        default:
            _ = body?.fields([])
            kind = .log
        }
        if body == nil, key != "log" { cursor.error("\"\(key)\" needs its settings") }
        return kind.map { ChannelConfig(name: name, kind: $0, position: cursor.position) }
    }

    private static func pagerDuty(_ cursor: Cursor) -> ChannelConfig.PagerDuty? {
        guard let fields = cursor.fields(["routing_key", "routing_key_file", "url", "severity"]) else { return nil }
        let key = fields.secret("routing_key", required: true)
        let url = fields["url"]?.url() ?? "https://events.pagerduty.com/v2/enqueue"
        let severity = fields["severity"]?.choice(pagerDutySeverities)
        guard let key else { return nil }
        return ChannelConfig.PagerDuty(routingKey: key, url: url, severity: severity)
    }

    private static func slack(_ cursor: Cursor) -> ChannelConfig.Slack? {
        guard let fields = cursor.fields(["webhook_url", "webhook_url_file"]) else { return nil }
        guard let url = fields.secret("webhook_url", required: true) else { return nil }
        if let problem = URLCheck.problem(url.value, schemes: ["http", "https"], secret: true) {
            (fields["webhook_url"] ?? fields["webhook_url_file"] ?? cursor).error(problem)
            return nil
        }
        return ChannelConfig.Slack(webhookURL: url)
    }

    private static func email(_ cursor: Cursor) -> ChannelConfig.Email? {
        let keys = ["smtp", "tls", "username", "password", "password_file", "from", "to", "ca_file"]
        guard let fields = cursor.fields(keys) else { return nil }
        let smtp = fields.required("smtp")?.url(schemes: ["smtp", "smtps"])
        var tls: ChannelConfig.Email.TLS = smtp?.lowercased().hasPrefix("smtps:") == true ? .implicit : .starttls
        if let node = fields["tls"], let choice = node.choice(["starttls", "none"]) {
            if tls == .implicit {
                node.error("\"tls\" applies to smtp:// URLs only; smtps:// always uses TLS")
            } else {
                tls = ChannelConfig.Email.TLS(rawValue: choice)!
            }
        }
        let username = fields["username"]?.nonEmptyString()
        let password = fields.secret("password")
        if password != nil, username == nil {
            fields.owner.error("\"password\" needs a \"username\"",
                               at: fields.keyPositions["password"] ?? fields.keyPositions["password_file"]!)
        }
        if password != nil, tls == .none, let smtp, !isLoopback(smtp) {
            // As Go's smtp.PlainAuth (Alertmanager): a password crosses the network only inside TLS.
            fields.owner.error("\"tls: none\" would send the password in plain text; use STARTTLS or smtps:// "
                               + "(a password without TLS is allowed to a relay on this machine only)",
                               at: fields.keyPositions["tls"] ?? fields.owner.position)
        }
        let from = fields.required("from").flatMap(address)
        var to: [String] = []
        if let node = fields.required("to") {
            if case .scalar = node.node { to = address(node).map { [$0] } ?? [] }
            else { to = node.sequence()?.compactMap(address) ?? [] }
            if to.isEmpty, case .sequence = node.node { node.error("needs at least one address") }
        }
        let caFile = fields.readableFile("ca_file")
        guard let smtp, let from, !to.isEmpty else { return nil }
        return ChannelConfig.Email(smtpURL: smtp, tls: tls, username: username, password: password,
                                   from: from, to: to, caFile: caFile)
    }

    /// Whether an `smtp://` URL names this machine: `localhost`, `127.0.0.0/8` or `[::1]`.
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host else { return false }
        return LoopbackHost.contains(host)
    }

    /// A bare address or `Name <address>`; CR/LF are refused so nothing can start a header.
    /// A bare `local@domain` or `Name <local@domain>`, as the email channel parses it (`Mailbox`),
    /// so an address it would refuse at send time is an error here.
    private static func address(_ cursor: Cursor) -> String? {
        guard let text = cursor.nonEmptyString() else { return nil }
        guard Mailbox(text) != nil else {
            cursor.error("invalid email address \(text.debugDescription) (write local@domain or \"Name <local@domain>\")")
            return nil
        }
        return text
    }

    private static func webhook(_ cursor: Cursor) -> ChannelConfig.Webhook? {
        guard let fields = cursor.fields(["url", "url_file", "bearer_token", "bearer_token_file"]) else { return nil }
        let url = fields.secret("url", required: true)
        if let url, let problem = URLCheck.problem(url.value, schemes: ["http", "https"], secret: true) {
            (fields["url"] ?? fields["url_file"] ?? cursor).error(problem)
            return nil
        }
        let token = fields.secret("bearer_token")
        guard let url else { return nil }
        return ChannelConfig.Webhook(url: url, bearerToken: token)
    }
}
