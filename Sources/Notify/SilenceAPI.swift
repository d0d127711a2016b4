import Foundation
import Model
import Storage

/// Alertmanager API v2 silence JSON (`GET|POST /api/v2/silences`), so amtool-style clients work.
public enum SilenceAPI {
    struct APIMatcher: Codable {
        var name: String
        var value: String
        var isRegex: Bool
        var isEqual: Bool?
    }

    struct Status: Codable {
        var state: String
    }

    struct GettableSilence: Encodable {
        var id: String
        var status: Status
        var updatedAt: String
        var matchers: [APIMatcher]
        var startsAt: String
        var endsAt: String
        var createdBy: String
        var comment: String
    }

    struct PostableSilence: Decodable {
        var id: String?
        var matchers: [APIMatcher]
        var startsAt: String
        var endsAt: String
        var createdBy: String
        var comment: String
    }

    /// The JSON array for `GET /api/v2/silences`.
    public static func encode(_ silences: [Silence], now: Timestamp) throws -> [UInt8] {
        let items = silences.map { s in
            GettableSilence(id: s.id, status: Status(state: s.state(at: now).rawValue), updatedAt: rfc3339(s.updatedAt),
                            matchers: s.matchers.map { m in
                                APIMatcher(name: m.name, value: m.value, isRegex: m.kind == .regexMatch || m.kind == .regexNoMatch,
                                           isEqual: m.kind == .equal || m.kind == .regexMatch)
                            },
                            startsAt: rfc3339(s.startsAt), endsAt: rfc3339(s.endsAt), createdBy: s.createdBy, comment: s.comment)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(items))
    }

    /// Parses the body of `POST /api/v2/silences` (answer `{"silenceID": id}` after `SilenceManager.add`).
    public static func decodePost(_ body: [UInt8]) throws -> Silence {
        let p = try JSONDecoder().decode(PostableSilence.self, from: Data(body))
        let matchers = try p.matchers.map { m in
            let equal = m.isEqual ?? true
            let kind: Matcher.Kind = m.isRegex ? (equal ? .regexMatch : .regexNoMatch) : (equal ? .equal : .notEqual)
            return try Matcher(m.name, kind, m.value)
        }
        guard let start = parseRFC3339(p.startsAt), let end = parseRFC3339(p.endsAt) else {
            throw SilenceManager.InvalidSilence(description: "startsAt and endsAt must be RFC 3339 times")
        }
        return Silence(id: p.id ?? "", matchers: matchers, startsAt: start, endsAt: end, createdBy: p.createdBy,
                       comment: p.comment, updatedAt: start)
    }

    static func rfc3339(_ ms: Timestamp) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func parseRFC3339(_ text: String) -> Timestamp? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Timestamp((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Timestamp((($0.timeIntervalSince1970) * 1000).rounded()) }
    }
}
