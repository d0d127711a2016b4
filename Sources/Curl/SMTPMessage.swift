/// One message to submit over SMTP. The caller builds the RFC 5322 bytes (headers + body, CRLF
/// line endings); libcurl does the envelope, AUTH, STARTTLS and dot-stuffing.
public struct SMTPMessage: Sendable {
    /// How the connection is protected.
    public enum Security: Sendable {
        /// `smtp://` with STARTTLS required: fails rather than sending in clear text.
        case startTLS
        /// Implicit TLS: use an `smtps://` URL.
        case implicitTLS
        /// No TLS at all; only for loopback relays.
        case none
    }

    /// `smtp://host:port` or `smtps://host:port`; an optional path names the EHLO domain.
    public var url: String
    /// How the connection is protected; STARTTLS is required unless this says `.none`.
    public var security: Security
    /// The AUTH user name; no AUTH when nil.
    public var username: String?
    /// The AUTH password; never appears in errors.
    public var password: String?
    /// The envelope sender address, without angle brackets.
    public var from: String
    /// Envelope recipient addresses, without angle brackets.
    public var recipients: [String]
    /// The complete message: header fields, a blank line, then the body.
    public var message: [UInt8]
    /// A PEM file of CAs trusted instead of the system store.
    public var caFile: String?
    /// Skips certificate verification.
    public var insecure = false
    /// Limits the whole submission.
    public var timeout: Duration = .seconds(30)

    /// A message to send through `url`; security follows the scheme (smtps → implicit TLS, else STARTTLS).
    public init(url: String, from: String, recipients: [String], message: [UInt8]) {
        self.url = url
        self.security = url.lowercased().hasPrefix("smtps://") ? .implicitTLS : .startTLS
        self.from = from
        self.recipients = recipients
        self.message = message
    }
}

/// The server's final answer to a submitted message.
public struct SMTPResult: Sendable, Equatable {
    /// The last SMTP reply code, 250 when the message was accepted.
    public var responseCode: Int
}
