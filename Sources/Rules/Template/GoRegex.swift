/// Go `regexp` operations the templates use, on Swift's regex engine (RE2 syntax is a subset).
enum GoRegex {
    static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        do { return try Regex(pattern) } catch {
            throw TemplateFunctionError("error parsing regexp: \(error)")
        }
    }

    /// `regexp.MatchString`: unanchored.
    static func matches(pattern: String, _ text: String) throws -> Bool {
        try compile(pattern).firstMatch(in: text) != nil
    }

    /// `Regexp.ReplaceAllString`, with Go's `$1`, `${1}`, `$name`, `${name}` and `$$` expansion.
    static func replaceAll(pattern: String, in text: String, with template: String) throws -> String {
        let regex = try compile(pattern)
        var out = ""
        var cursor = text.startIndex
        var previousEnd: String.Index?
        for match in text.matches(of: regex) {
            // Go ignores an empty match that abuts the previous match.
            if match.range.isEmpty, match.range.lowerBound == previousEnd { continue }
            out += text[cursor..<match.range.lowerBound]
            out += expand(template, match)
            cursor = match.range.upperBound
            previousEnd = match.range.upperBound
        }
        out += text[cursor...]
        return out
    }

    private static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            guard chars[i] == "$", i + 1 < chars.count else { out.append(chars[i]); i += 1; continue }
            if chars[i + 1] == "$" { out += "$"; i += 2; continue }
            var name = ""
            var j = i + 1
            if chars[j] == "{" {
                guard let close = chars[j...].firstIndex(of: "}") else { out.append(chars[i]); i += 1; continue }
                name = String(chars[(j + 1)..<close])
                j = close + 1
            } else {
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { name.append(chars[j]); j += 1 }
            }
            guard !name.isEmpty else { out.append(chars[i]); i += 1; continue }
            out += group(name, match)
            i = j
        }
        return out
    }

    private static func group(_ name: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        if let number = Int(name) {
            guard number < match.output.count, let sub = match.output[number].substring else { return "" }
            return String(sub)
        }
        guard let element = match.output[name], let sub = element.substring else { return "" }
        return String(sub)
    }
}
