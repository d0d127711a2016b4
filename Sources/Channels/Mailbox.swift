import Foundation

/// An email address as configured: a bare `local@domain` or `Display Name <local@domain>`
/// (`lookout check` accepts both). The SMTP envelope gets the bare address, the header the
/// display name quoted or RFC 2047-encoded, so neither can shape anything but its own field.
struct Mailbox: Equatable {
    /// The display name, nil for a bare address.
    var displayName: String?
    /// The bare address, safe for `MAIL FROM:<…>`, `RCPT TO:<…>` and a header (`MIME.isSafeAddress`).
    var address: String

    /// Parses `text`; nil when the address part is not a safe bare address, text follows `>`, or
    /// the display name holds a control character or an angle bracket.
    init?(_ text: String) {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) else {
            return nil
        }
        guard let open = text.lastIndex(of: "<") else {
            guard MIME.isSafeAddress(text) else { return nil }
            address = text
            return
        }
        guard text.hasSuffix(">") else { return nil }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard MIME.isSafeAddress(inner) else { return nil }
        var name = Substring(text[..<open])
        guard !name.contains("<"), !name.contains(">") else { return nil }
        while name.first == " " { name = name.dropFirst() }
        while name.last == " " { name = name.dropLast() }
        if name.count >= 2, name.first == "\"", name.last == "\"" { name = name.dropFirst().dropLast() }
        displayName = name.isEmpty ? nil : String(name)
        address = inner
    }

    /// The header form: `address`, `"Display Name" <address>` or `=?UTF-8?Q?…?= <address>`.
    var header: String {
        guard let displayName else { return address }
        let cleaned = String(displayName.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        if cleaned.unicodeScalars.allSatisfy(\.isASCII) && !cleaned.contains("=?") {
            let quoted = cleaned.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return MIME.encodedWords(cleaned) + " <\(address)>"
    }

    /// The domain of the address (for Message-IDs).
    var domain: String { address.split(separator: "@").last.map(String.init) ?? "lookout" }
}
