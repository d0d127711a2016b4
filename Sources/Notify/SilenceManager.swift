import Foundation
import Model
import SQLite
import Storage

/// Silence management for `lookout silence add|list|expire` and the `/api/v2/silences` endpoints.
/// Opens its own connection to the database file, so it works whether or not the daemon runs
/// (the daemon re-reads silences whenever it flushes a group). Not thread-safe; use from one task.
public final class SilenceManager {
    /// A request that cannot become a silence.
    public struct InvalidSilence: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    private let db: Connection
    private let store: SilenceStore

    /// Opens (creating when needed) the silences table in the SQLite file at `databasePath`.
    public init(databasePath: String) throws {
        db = try Connection(path: databasePath)
        store = try SilenceStore(db)
    }

    /// Adds a silence from matcher texts (`k=v`, `k!=v`, `k=~re`, `k!~re`) lasting `duration` ms
    /// from `now`; returns it with its new UUID.
    public func add(matchers texts: [String], duration: Int64, comment: String, createdBy: String,
                    now: Timestamp) throws -> Silence {
        let matchers = try MatcherParser.parseList(texts)
        return try add(Silence(id: "", matchers: matchers, startsAt: now, endsAt: now + duration,
                               createdBy: createdBy, comment: comment, updatedAt: now), now: now)
    }

    /// Stores a new silence (an empty id gets a UUID) or updates an existing one, after checks:
    /// at least one matcher, not every matcher matching the empty string, end after start.
    @discardableResult
    public func add(_ silence: Silence, now: Timestamp) throws -> Silence {
        var s = silence
        guard !s.matchers.isEmpty else { throw InvalidSilence(description: "a silence needs at least one matcher") }
        guard s.matchers.contains(where: { !$0.matchesEmpty }) else {
            throw InvalidSilence(description: "at least one matcher must not match the empty string (it would silence everything)")
        }
        guard s.endsAt > s.startsAt else { throw InvalidSilence(description: "a silence must end after it starts") }
        guard s.endsAt > now else { throw InvalidSilence(description: "a silence must end in the future") }
        if s.id.isEmpty { s.id = UUID().uuidString.lowercased() }
        s.updatedAt = now
        try store.save(s)
        return s
    }

    /// Every silence, newest first; expired ones included (as Alertmanager lists them).
    public func list() throws -> [Silence] { try store.all() }

    /// Ends the silence `id` now; false when no such silence is active or pending.
    public func expire(id: String, now: Timestamp) throws -> Bool { try store.expire(id, now: now) }
}
