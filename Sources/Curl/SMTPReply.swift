/// The server's own words for a refused SMTP submission, read from the reply lines libcurl hands
/// to the header callback (every reply of a pingpong protocol goes there).
enum SMTPReply {
    /// Longest reply text kept; a server may send up to 512 bytes per line and many lines.
    static let maxCharacters = 300

    /// The text of the last reply if it is a refusal (4xx or 5xx): its lines' texts after the
    /// code, joined by spaces, control characters replaced, cut to `maxCharacters`. Nil otherwise.
    static func refusal(in lines: [String]) -> String? {
        guard let last = lines.last(where: { code(of: $0) != nil }), let code = code(of: last), code >= 400 else { return nil }
        var texts: [Substring] = []
        for line in lines.reversed() {
            guard line.utf8.count >= 3, Self.code(of: line) == code else { break }
            let rest = line.dropFirst(3)
            // "550-first line" continues, "550 last line" ends; a continuation ends the group above it.
            if !texts.isEmpty, rest.first == " " { break }
            texts.append(rest.dropFirst().drop { $0 == " " })
        }
        let joined = texts.reversed().map { $0.trimmingTrailingNewlines }.joined(separator: " ")
        var clean = String(joined.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        if clean.count > maxCharacters { clean = String(clean.prefix(maxCharacters)) + "…" }
        while clean.last == " " { clean.removeLast() }
        return clean.isEmpty ? "\(code)" : "\(code) \(clean)"
    }

    private static func code(of line: String) -> Int? {
        let bytes = Array(line.utf8.prefix(4))
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard bytes.count == 3 || bytes[3] == 0x20 || bytes[3] == 0x2D || bytes[3] == 0x0D || bytes[3] == 0x0A else { return nil }
        return Int(String(decoding: bytes[0...2], as: UTF8.self))
    }
}

private extension Substring {
    var trimmingTrailingNewlines: Substring {
        var text = self
        while let last = text.last, last == "\r" || last == "\n" || last == "\r\n" { text = text.dropLast() }
        return text
    }
}
