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

    /// Addresses joined by ", ", folded onto continuation lines so no line of the header passes
    /// 78 characters where it can be helped (RFC 5322 §2.1.1); `after` is what precedes them.
    static func addressList(_ addresses: [String], after prefix: String) -> String {
        var out = ""
        var column = prefix.utf8.count
        for (index, address) in addresses.enumerated() {
            let last = index == addresses.count - 1
            let piece = last ? address : address + ","
            if index > 0 {
                if column + 1 + piece.utf8.count > 78 {
                    out += "\r\n "
                    column = 1
                } else {
                    out += " "
                    column += 1
                }
            }
            out += piece
            column += piece.utf8.count
        }
        return out
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
}

extension UInt8 {
    fileprivate var isLetterOrDigit: Bool {
        (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
    }
}

extension String {
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
