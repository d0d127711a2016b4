/// Encoders that keep untrusted text (labels, annotations) from shaping an email: header values
/// are cleaned of control characters and RFC 2047 Q-encoded when not plain ASCII; bodies are
/// quoted-printable, so no line of them can end a header block, start an SMTP command or a dot line.
enum MIME {
    /// A header value safe to place after `Name: ` on one logical line.
    static func headerValue(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let plain = cleaned.unicodeScalars.allSatisfy { $0.isASCII } && !cleaned.contains("=?")
        if plain && cleaned.utf8.count <= 900 { return cleaned }
        return encodedWords(cleaned)
    }

    /// RFC 2047 `=?UTF-8?Q?…?=` words of at most 75 characters, folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var current = ""
        let budget = 75 - "=?UTF-8?Q??=".count
        for ch in text {
            let encoded = qEncode(ch)
            // A character's bytes stay in one word, so every word is valid UTF-8 on its own.
            if current.count + encoded.count > budget {
                words.append(current)
                current = ""
            }
            current += encoded
        }
        if !current.isEmpty || words.isEmpty { words.append(current) }
        return words.map { "=?UTF-8?Q?\($0)?=" }.joined(separator: "\r\n ")
    }

    private static func qEncode(_ ch: Character) -> String {
        if ch == " " { return "_" }
        if ch.isASCII, let ascii = ch.asciiValue, (ascii.isLetterOrDigit || "!*+-/".utf8.contains(ascii)) {
            return String(ch)
        }
        return String(ch).utf8.map(hexByte).joined()
    }

    /// Quoted-printable (RFC 2045 §6.7) with CRLF line ends, lines at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out: [String] = []
        let lines = text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            var encodedLine = ""
            var length = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let token: String
                let leadingMark = index == 0 && byte == UInt8(ascii: ".")
                switch byte {
                case _ where leadingMark:
                    token = hexByte(byte)  // a leading dot is never literal, whatever the SMTP client does
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    token = last ? hexByte(byte) : String(UnicodeScalar(byte))
                case 33...126 where byte != UInt8(ascii: "="):
                    token = String(UnicodeScalar(byte))
                default:
                    token = hexByte(byte)
                }
                if length + token.count > 75 {
                    encodedLine += "=\r\n"
                    length = 0
                }
                encodedLine += token
                length += token.count
            }
            out.append(encodedLine)
        }
        return out.joined(separator: "\r\n")
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    /// `Name <local@domain>` (the name optionally in double quotes) split into its display name
    /// and address; anything else, including text with control characters, more than one `<` or
    /// `>`, or no name, is returned whole as the address (for `isSafeAddress` to refuse).
    static func mailbox(_ text: String) -> (name: String?, address: String) {
        let whole: (name: String?, address: String) = (nil, text)
        guard text.hasSuffix(">"), let open = text.firstIndex(of: "<"),
              text.filter({ $0 == "<" || $0 == ">" }).count == 2,
              !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return whole }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = Substring(text[..<open]).drop { $0 == " " || $0 == "\t" }
        while let last = name.last, last == " " || last == "\t" { name = name.dropLast() }
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = name.dropFirst().dropLast() }
        return name.isEmpty ? whole : (String(name), address)
    }

    /// A mailbox as a From or To header writes it: the bare address, or the display name (a
    /// quoted string, or RFC 2047 words when not ASCII) before `<address>`.
    static func mailboxHeader(_ text: String) -> String {
        let (name, address) = mailbox(text)
        guard let name else { return address }
        let cleaned = String(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let phrase: String
        if cleaned.unicodeScalars.allSatisfy(\.isASCII) && !cleaned.contains("=?") {
            phrase = "\"" + cleaned.replacingBackslashAndQuote() + "\""
        } else {
            phrase = encodedWords(cleaned)
        }
        return phrase + " <" + address + ">"
    }

    /// A bare `local@domain` address: printable ASCII, no spaces, brackets or separators, so it
    /// can stand in `MAIL FROM:<…>`, `RCPT TO:<…>` and a header.
    static func isSafeAddress(_ address: String) -> Bool {
        let forbidden = Set(" <>()[],;:\\\"")
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.utf8.count <= 254
            && address.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !forbidden.contains(Character($0)) }
    }
}

extension UInt8 {
    fileprivate var isLetterOrDigit: Bool {
        (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
    }
}

extension String {
    /// `\` and `"` escaped for an RFC 5322 quoted string.
    fileprivate func replacingBackslashAndQuote() -> String {
        var out = ""
        for ch in self {
            if ch == "\\" || ch == "\"" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    fileprivate func replacingCRLF() -> String {
        var out = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.append("\n")
                previousCR = true
                continue
            }
            if scalar == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
