#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Model

/// Alertmanager's API v2 for silences: `GET|POST /api/v2/silences`, `GET|DELETE /api/v2/silence/ID`.
/// Errors are answered as Alertmanager does: a JSON string body with 400, 404 or 500.
struct SilencesAPI: Sendable {
    let deps: ServerDependencies

    /// Lists silences; each `filter` (`alertname="x"`, as in amtool) must match the label set
    /// the silence's matchers name, as Alertmanager filters.
    func list(_ form: FormValues) async -> APIReply {
        var filters: [Matcher] = []
        for filter in form.all("filter") {
            guard let matcher = SilencesAPI.parseFilter(filter) else {
                return SilencesAPI.failure(400, "bad matcher format: \(filter)")
            }
            filters.append(matcher)
        }
        do {
            let now = deps.now()
            let silences = SilencesAPI.sorted(try await deps.silences(), now: now).filter { silence in
                let labels = Labels(silence.matchers.map { Label($0.name, $0.value) })
                return filters.allSatisfy { $0.matches(labels) }
            }
            var json = JSONWriter(capacity: 512)
            json.beginArray()
            for silence in silences { SilencesAPI.write(silence, now: now, to: &json) }
            json.endArray()
            return .json(200, json.text)
        } catch {
            return SilencesAPI.failure(500, "\(error)")
        }
    }

    func get(_ id: String) async -> APIReply {
        do {
            guard let silence = try await deps.silences().first(where: { $0.id == id }) else {
                return SilencesAPI.failure(404, "silence \(id) not found")
            }
            var json = JSONWriter()
            SilencesAPI.write(silence, now: deps.now(), to: &json)
            return .json(200, json.text)
        } catch {
            return SilencesAPI.failure(500, "\(error)")
        }
    }

    func create(_ body: [UInt8]) async -> APIReply {
        let silence: Silence
        do {
            silence = try SilencesAPI.decode(body, now: deps.now())
        } catch {
            return SilencesAPI.failure(400, error.message)
        }
        do {
            let id = try await deps.createSilence(silence)
            var json = JSONWriter()
            json.beginObject()
            json.field("silenceID", id)
            json.endObject()
            return .json(200, json.text)
        } catch let error as APIError {
            return SilencesAPI.failure(error.kind == .badData ? 400 : error.kind.httpStatus, error.message)
        } catch {
            return SilencesAPI.failure(500, "\(error)")
        }
    }

    func delete(_ id: String) async -> APIReply {
        do {
            guard try await deps.expireSilence(id) else { return SilencesAPI.failure(404, "silence \(id) not found") }
            return .json(200, "")
        } catch {
            return SilencesAPI.failure(500, "\(error)")
        }
    }

    /// Alertmanager's order: active by end time, then pending by start time, then expired, most recently ended first.
    static func sorted(_ silences: [Silence], now: Timestamp) -> [Silence] {
        func rank(_ s: Silence) -> Int {
            switch s.state(at: now) {
            case .active: 0
            case .pending: 1
            case .expired: 2
            }
        }
        return silences.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            if ra != rb { return ra < rb }
            switch a.state(at: now) {
            case .active: return a.endsAt < b.endsAt
            case .pending: return a.startsAt < b.startsAt
            case .expired: return a.endsAt > b.endsAt
            }
        }
    }

    static func write(_ silence: Silence, now: Timestamp, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", silence.id)
        json.key("status")
        json.beginObject()
        json.field("state", silence.state(at: now).rawValue)
        json.endObject()
        json.field("updatedAt", UTCTime(silence.updatedAt).rfc3339)
        json.field("comment", silence.comment)
        json.field("createdBy", silence.createdBy)
        json.field("endsAt", UTCTime(silence.endsAt).rfc3339)
        json.key("matchers")
        json.beginArray()
        for matcher in silence.matchers {
            json.beginObject()
            json.field("isEqual", matcher.kind == .equal || matcher.kind == .regexMatch)
            json.field("isRegex", matcher.kind == .regexMatch || matcher.kind == .regexNoMatch)
            json.field("name", matcher.name)
            json.field("value", matcher.value)
            json.endObject()
        }
        json.endArray()
        json.field("startsAt", UTCTime(silence.startsAt).rfc3339)
        json.endObject()
    }

    /// Alertmanager's matcher syntax, value quoted or not: `alertname="x"`, `job=~api.*`.
    static func parseFilter(_ text: String) -> Matcher? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let opStart = trimmed.firstIndex(where: { $0 == "=" || $0 == "!" }) else { return nil }
        let name = trimmed[..<opStart].trimmingCharacters(in: .whitespaces)
        let rest = trimmed[opStart...]
        let kind: Matcher.Kind
        if rest.hasPrefix("=~") { kind = .regexMatch } else if rest.hasPrefix("!~") { kind = .regexNoMatch }
        else if rest.hasPrefix("!=") { kind = .notEqual } else if rest.hasPrefix("=") { kind = .equal } else { return nil }
        var value = rest.dropFirst(kind.rawValue.count).trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        guard PromParams.isValidLabelName(name) else { return nil }
        return try? Matcher(name, kind, value)
    }

    private static func failure(_ status: Int, _ message: String) -> APIReply {
        var json = JSONWriter()
        json.string(message)
        return .json(status, json.text)
    }

    // MARK: Decoding a postable silence

    private struct PostableMatcher: Decodable {
        var name: String
        var value: String
        var isRegex: Bool
        var isEqual: Bool?
    }

    private struct PostableSilence: Decodable {
        var id: String?
        var matchers: [PostableMatcher]
        var startsAt: String
        var endsAt: String
        var createdBy: String
        var comment: String
    }

    /// Decodes and validates a silence as Alertmanager does.
    static func decode(_ body: [UInt8], now: Timestamp) throws(APIError) -> Silence {
        let posted: PostableSilence
        do {
            posted = try JSONDecoder().decode(PostableSilence.self, from: Data(body))
        } catch {
            throw APIError(.badData, "invalid silence: \(SilencesAPI.describe(error))")
        }
        guard let startsAt = UTCTime.parseRFC3339(posted.startsAt) else {
            throw APIError(.badData, "startsAt in body must be of type date-time: \"\(posted.startsAt)\"")
        }
        guard let endsAt = UTCTime.parseRFC3339(posted.endsAt) else {
            throw APIError(.badData, "endsAt in body must be of type date-time: \"\(posted.endsAt)\"")
        }
        guard !posted.matchers.isEmpty else { throw APIError(.badData, "at least one matcher required") }
        var matchers: [Matcher] = []
        for m in posted.matchers {
            guard !m.name.isEmpty else { throw APIError(.badData, "invalid label name \"\"") }
            let equal = m.isEqual ?? true
            let kind: Matcher.Kind = m.isRegex ? (equal ? .regexMatch : .regexNoMatch) : (equal ? .equal : .notEqual)
            do { matchers.append(try Matcher(m.name, kind, m.value)) } catch { throw APIError(.badData, "\(error)") }
        }
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw APIError(.badData, "at least one matcher must not match the empty string")
        }
        guard startsAt < endsAt else { throw APIError(.badData, "Failed to create silence: start time must be before end time") }
        guard endsAt > now else { throw APIError(.badData, "Failed to create silence: end time can't be in the past") }
        guard !posted.createdBy.isEmpty else { throw APIError(.badData, "createdBy must not be empty") }
        return Silence(id: posted.id ?? "", matchers: matchers, startsAt: max(startsAt, now), endsAt: endsAt,
                       createdBy: posted.createdBy, comment: posted.comment, updatedAt: now)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        default: "body is not valid JSON"
        }
    }
}
