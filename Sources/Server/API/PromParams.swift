import Model

/// Prometheus' parameter parsing (`web/api/v1/api.go`: `parseTime`, `parseDuration`).
enum PromParams {
    /// Prometheus' `MinTime` / `MaxTime` in seconds, taken as milliseconds: the defaults for an
    /// open `start` / `end`, kept 1000× inside Int64 so arithmetic on them cannot overflow.
    static let minTime: Timestamp = -9_223_309_901_257_974   // -292273086-05-16T16:47:06Z
    static let maxTime: Timestamp = 9_223_309_901_257_974    // 292277025-08-17T07:12:55.807Z
    static let minTimeFormatted = "-292273086-05-16T16:47:06Z"
    static let maxTimeFormatted = "292277025-08-17T07:12:55.807Z"

    /// Unix seconds with a fraction (rounded to milliseconds) or RFC 3339.
    static func time(_ text: String) throws(APIError) -> Timestamp {
        if let seconds = Double(text), !text.isEmpty, seconds.isFinite {
            let whole = seconds.rounded(.towardZero)
            let millis = ((seconds - whole) * 1000).rounded()
            // Clients send Prometheus' own MinTime/MaxTime (±9223309901257974 s) for open ranges.
            if whole <= Double(minTime / 1000) { return minTime }
            if whole >= Double(maxTime / 1000) { return maxTime }
            return Int64(whole) * 1000 + Int64(millis)
        }
        if let ms = UTCTime.parseRFC3339(text) { return ms }
        if text == minTimeFormatted { return minTime }
        if text == maxTimeFormatted { return maxTime }
        throw APIError(.badData, "cannot parse \"\(text)\" to a valid timestamp")
    }

    /// Float seconds or a Prometheus duration, in milliseconds.
    static func duration(_ text: String) throws(APIError) -> Int64 {
        if let seconds = Double(text), !text.isEmpty {
            let ms = seconds * 1000
            guard ms.isFinite, ms < 9.2e15, ms > -9.2e15 else {
                throw APIError(.badData, "cannot parse \"\(text)\" to a valid duration. It overflows int64")
            }
            return Int64(ms.rounded())
        }
        if let ms = PromDuration.parse(text) { return ms }
        throw APIError(.badData, "cannot parse \"\(text)\" to a valid duration")
    }

    /// The parameter `name` as a time, `defaultValue` when absent or empty.
    static func time(_ form: FormValues, _ name: String, default defaultValue: Timestamp) throws(APIError) -> Timestamp {
        guard let text = form[name], !text.isEmpty else { return defaultValue }
        do { return try time(text) } catch { throw APIError.invalidParameter(name, error.message) }
    }

    /// A required time parameter.
    static func requiredTime(_ form: FormValues, _ name: String) throws(APIError) -> Timestamp {
        do { return try time(form[name] ?? "") } catch { throw APIError.invalidParameter(name, error.message) }
    }

    /// Prometheus' label name rule: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == 0x5F || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else { return false }
        return name.utf8.allSatisfy { $0 == 0x5F || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
