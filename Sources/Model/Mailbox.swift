/// An email address as configured: a bare `local@domain` or `Display Name <local@domain>`
/// (`lookout check` accepts both, and the email channel sends them). The SMTP envelope gets the
/// bare address, the header the display name, so neither can shape anything but its own field.
public struct Mailbox: Equatable, Sendable {
    /// The display name, nil for a bare address.
    public var displayName: String?
    /// The bare address, safe for `MAIL FROM:<…>`, `RCPT TO:<…>` and a header (`isSafeAddress`).
    public var address: String

    /// Parses `text`; nil when the address part is not a safe bare address, text follows `>`, or
    /// the display name holds a control character or an angle bracket.
    public init?(_ text: String) {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) else {
            return nil
        }
        guard let open = text.lastIndex(of: "<") else {
            guard Mailbox.isSafeAddress(text) else { return nil }
            address = text
            return
        }
        guard text.hasSuffix(">") else { return nil }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard Mailbox.isSafeAddress(inner) else { return nil }
        var name = Substring(text[..<open])
        guard !name.contains("<"), !name.contains(">") else { return nil }
        while name.first == " " { name = name.dropFirst() }
        while name.last == " " { name = name.dropLast() }
        if name.count >= 2, name.first == "\"", name.last == "\"" { name = name.dropFirst().dropLast() }
        displayName = name.isEmpty ? nil : String(name)
        address = inner
    }

    /// The domain of the address (for Message-IDs).
    public var domain: String { address.split(separator: "@").last.map(String.init) ?? "lookout" }

    /// A bare `local@domain` address: printable ASCII, no spaces, brackets or separators, so it
    /// can stand in `MAIL FROM:<…>`, `RCPT TO:<…>` and a header.
    public static func isSafeAddress(_ address: String) -> Bool {
        let forbidden = Set(" <>()[],;:\\\"")
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.utf8.count <= 254
            && address.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !forbidden.contains(Character($0)) }
    }
}
