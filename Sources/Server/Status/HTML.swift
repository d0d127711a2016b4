import Model

/// Small helpers for writing HTML by hand: the link, number and time formats the pages use
/// (escaping is `Model.HTMLText`).
enum HTML {
    /// Percent-encodes all but RFC 3986's unreserved characters: safe as a path segment (links to
    /// `/checks/NAME`) and as a query value (`/api/v1/query?query=…`).
    static func pathSegment(_ text: String) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%"
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// `2026-11-23 16:38:15 UTC`.
    static func time(_ ms: Timestamp) -> String {
        let text = UTCTime(ms - ms % 1000).rfc3339
        return text.replacingFirst("T", with: " ").dropLast() + " UTC"
    }

    /// A short age such as `45s`, `12m`, `3h 5m`, `2d 4h`, `1d`.
    static func age(_ ms: Int64) -> String {
        let seconds = max(0, ms / 1000)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h" + (seconds / 60 % 60 == 0 ? "" : " \(seconds / 60 % 60)m") }
        return "\(seconds / 86_400)d" + (seconds / 3600 % 24 == 0 ? "" : " \(seconds / 3600 % 24)h")
    }

    /// `since 3h 5m` with the exact time as a tooltip.
    static func since(_ ms: Timestamp, now: Timestamp) -> String {
        "<time datetime=\"\(UTCTime(ms).rfc3339)\" title=\"\(time(ms))\">\(age(now - ms)) ago</time>"
    }

    /// A latency for people: `85 ms`, `1.24 s`.
    static func latency(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        return "\(fixed(seconds, 2)) s"
    }

    /// A ratio as a percentage, with two decimals from 99% where the difference matters: `99.95%`.
    static func percent(_ ratio: Double) -> String {
        let value = ratio * 100
        if value >= 100 { return "100%" }
        return "\(fixed(value, value >= 99 ? 2 : 1))%"
    }

    /// Fixed-point formatting without Foundation, trailing zeros removed.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((Swift.abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let found = firstIndex(of: target) else { return self }
        return self[..<found] + replacement + self[index(after: found)...]
    }
}
