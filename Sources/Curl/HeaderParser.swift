/// Turns the raw header lines libcurl hands over into fields of the final response.
enum HeaderParser {
    /// Fields after the last status line: libcurl reports every response's headers when it
    /// follows redirects (and interim `100 Continue` responses), and only the last one counts.
    static func finalHeaders(_ lines: [String]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in lines {
            if line.hasPrefix("HTTP/") {
                fields.removeAll()
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            fields.append((String(name), String(value)))
        }
        return fields
    }
}

extension StringProtocol {
    var trimmingSpaces: SubSequence {
        // Character.isWhitespace, because "\r\n" is one Character and equals neither "\r" nor "\n".
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[first...last]
    }
}
