/// Removes secrets from URLs before they reach a message: credentials (`user:pass@`) and the
/// query string, which often carries tokens (`?token=…`, Slack/webhook keys).
enum Redaction {
    /// The URL with userinfo removed and the query and fragment replaced by `?REDACTED`.
    static func redactURL(_ url: Substring) -> String {
        guard let schemeEnd = schemeSeparatorEnd(url) else { return String(url) }
        let scheme: Substring = url[..<schemeEnd]
        var rest: Substring = url[schemeEnd...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
        }
        guard let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return String(scheme) + rest }
        return String(scheme) + rest[..<query] + "?REDACTED"
    }

    /// The index just after the first `://`.
    private static func schemeSeparatorEnd(_ text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("://") { return text.index(index, offsetBy: 3) }
            index = text.index(after: index)
        }
        return nil
    }

    /// Redacts every URL-looking word (containing `://`) in free text.
    static func redactURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var word = Substring()
        var start = text.startIndex
        for index in text.indices {
            if text[index].isWhitespace {
                word = text[start..<index]
                output += word.contains("://") ? redactURL(word) : String(word)
                output.append(text[index])
                start = text.index(after: index)
            }
        }
        word = text[start...]
        output += word.contains("://") ? redactURL(word) : String(word)
        return output
    }
}
