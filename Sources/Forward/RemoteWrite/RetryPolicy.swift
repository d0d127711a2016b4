import Foundation

/// What to do with a batch after one attempt to send it.
enum SendOutcome: Equatable, Sendable {
    /// The receiver accepted it (2xx).
    case sent
    /// Try again later: a 5xx, a 429, or no response at all. `after` is the receiver's
    /// `Retry-After`, in milliseconds, when it gave one.
    case retry(after: Int64?)
    /// The receiver refused it for good (another 3xx/4xx): sending it again cannot help.
    case reject

    /// Classifies an HTTP response, as Prometheus does: 5xx and 429 are recoverable, everything
    /// else that is not 2xx is not. `retryAfter` is the header's value, if any; `now` (ms) is for
    /// HTTP-date values.
    static func classify(status: Int, retryAfter: String?, now: Int64) -> SendOutcome {
        switch status {
        case 200..<300: return .sent
        case 429, 500..<600: return .retry(after: retryAfter.flatMap { parseRetryAfter($0, now: now) })
        default: return .reject
        }
    }

    /// `Retry-After` as delay-seconds or an HTTP-date, in milliseconds from `now`; nil if malformed.
    static func parseRetryAfter(_ text: String, now: Int64) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) { return seconds >= 0 ? seconds * 1000 : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, Int64(date.timeIntervalSince1970 * 1000) - now)
    }
}

/// Exponential backoff with jitter between attempts of one batch; a receiver's `Retry-After`
/// wins when it asks for longer (capped, so a bad header cannot park a shard for hours).
struct RetryPolicy: Sendable {
    /// First delay, ms.
    var initial: Int64 = 100
    /// Longest computed delay, ms (Prometheus' default `max_backoff` is 5 s).
    var maximum: Int64 = 5_000
    /// Longest delay a `Retry-After` may impose, ms.
    var retryAfterCap: Int64 = 300_000

    /// The delay before attempt `failures + 1`, given `failures` failed attempts so far (≥ 1).
    /// `random` returns a value in [0, 1): half the delay is fixed, half is jitter, so shards
    /// that failed together do not retry in lockstep.
    func delay(failures: Int, retryAfter: Int64?, random: () -> Double) -> Int64 {
        let exponent = min(max(failures - 1, 0), 30)
        let base = min(maximum, initial << Int64(exponent))
        let jittered = base / 2 + Int64(Double(base / 2) * random())
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, retryAfterCap))
    }
}
