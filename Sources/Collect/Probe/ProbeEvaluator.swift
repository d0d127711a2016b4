import Curl
import Model

/// Decides success and the failure reason from what came back. Pure, so every rule is testable
/// without a server.
struct ProbeEvaluator: Sendable {
    let expect: ProbeExpectation
    let tlsMinDays: Int?
    let bodyRegex: LinearRegex?

    init(spec: ProbeSpec) throws {
        expect = spec.expect
        tlsMinDays = spec.tlsMinDays
        bodyRegex = try spec.expect.bodyRegex.map { pattern throws(RegexSyntaxError) in try LinearRegex(pattern) }
    }

    /// The first unmet expectation, or nil when all hold. `now` is Unix seconds.
    func failure(status: Int, body: [UInt8], duration: Duration, certificateExpiry: Int64?, now: Int64) -> String? {
        if let statuses = expect.statuses {
            if !statuses.contains(status) { return "status \(status)" }
        } else if !(200..<300).contains(status) {
            return "status \(status)"
        }
        if let reason = bodyFailure(body) { return reason }
        if let tlsMinDays, let certificateExpiry {
            let days = Double(certificateExpiry - now) / 86_400
            if days < Double(tlsMinDays) {
                return Self.expiryReason(seconds: certificateExpiry - now, minDays: tlsMinDays)
            }
        }
        if let maxLatency = expect.maxLatency, duration > maxLatency {
            return "latency \(duration.humanReadable) > \(maxLatency.humanReadable)"
        }
        return nil
    }

    private func bodyFailure(_ body: [UInt8]) -> String? {
        if let needle = expect.bodyContains {
            let text = String(decoding: body, as: UTF8.self)
            if !text.contains(needle) { return "body does not contain \"\(needle)\"" }
        }
        if let bodyRegex, !bodyRegex.containsMatch(body) {
            return "body does not match /\(bodyRegex.pattern)/"
        }
        guard !expect.json.isEmpty else { return nil }
        let document: JSONValue
        do { document = try JSONParser.parse(body) } catch { return "invalid JSON" }
        for expectation in expect.json {
            guard let actual = document.value(at: expectation.path) else { return "\(expectation.path) is missing" }
            if !Self.matches(actual, expectation.value) { return Self.mismatch(expectation, actual: actual) }
        }
        return nil
    }

    /// `checks.database was "down"`; when only the type differs (`"3"` against `3`) the expected
    /// value is named too, since the two would otherwise read the same.
    static func mismatch(_ expectation: JSONExpectation, actual: JSONValue) -> String {
        let reason = "\(expectation.path) was \(actual.literal)"
        let expected: JSONValue
        switch expectation.value {
        case .string(let text): expected = .string(text)
        case .number(let number): expected = .number(number)
        case .bool(let flag): expected = .bool(flag)
        case .null: expected = .null
        }
        return sameType(actual, expected) ? reason : reason + ", expected \(expected.literal)"
    }

    private static func sameType(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string, .string), (.number, .number), (.bool, .bool), (.null, .null): return true
        default: return false
        }
    }

    /// Days are rounded, so 13.6 days against `tls_min_days: 14` would read "in 14 days", as if it
    /// passed; such a case says "in less than 14 days" instead.
    static func expiryReason(seconds: Int64, minDays: Int? = nil) -> String {
        if seconds <= 0 { return "TLS certificate expired" }
        if seconds < 86_400 { return "TLS certificate expires in less than a day" }
        let days = Int((Double(seconds) / 86_400).rounded())
        if let minDays, days >= minDays { return "TLS certificate expires in less than \(minDays) days" }
        return "TLS certificate expires in \(days) day\(days == 1 ? "" : "s")"
    }

    static func matches(_ actual: JSONValue, _ expected: JSONExpectation.Value) -> Bool {
        switch (actual, expected) {
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// `127.0.0.1 port 8080` from libcurl's "Failed to connect to 127.0.0.1 port 8080 after 0 ms: …".
    static func connectTarget(_ message: String) -> String? {
        guard let start = message.firstRange(of: "Failed to connect to ") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstRange(of: " after ") ?? rest.firstRange(of: ": ") else { return nil }
        let target = rest[..<end.lowerBound]
        return target.isEmpty || target.count > 300 ? nil : String(target)
    }

    /// The reason for a probe that got no response at all; `maxRedirects` is the check's limit.
    static func reason(for error: CurlError, maxRedirects: Int) -> String {
        switch error.kind {
        case .connectionRefused:
            // Which address refused: the target's, or a proxy's taken from the environment.
            return connectTarget(error.message).map { "connection refused by \($0)" } ?? "connection refused"
        case .dns: return "DNS failure: \(error.message)"
        case .timeout: return "timeout: \(error.message)"
        case .tls:
            // libcurl appends its generic text for a failed verification, which speaks of SSH keys.
            let generic = " (SSL peer certificate or SSH remote key was not OK)"
            let message = error.message.hasSuffix(generic) ? String(error.message.dropLast(generic.count)) : error.message
            return "TLS error: \(message)"
        case .tooLarge: return "response body larger than 1 MiB"
        case .tooManyRedirects: return "too many redirects (more than \(maxRedirects))"
        case .connectionLost: return "connection lost: \(error.message)"
        default: return error.message
        }
    }
}
