import Model
import Storage

/// Delivery outcomes the outbox could not record (disk full, read-only file), kept in memory
/// until it can: a delivered or dropped notification whose row could not be deleted must not be
/// sent again, and a failed one whose retry time could not be stored must still wait for it.
/// Without this the row stayed due, and the notifier re-sent it in a tight loop — thousands of
/// duplicates a minute to a receiver that had already accepted it.
struct UnsavedOutcomes: Sendable {
    /// A failed attempt's bookkeeping that `reschedule` could not store.
    struct Retry: Sendable, Hashable {
        var attempts: Int
        var nextAttemptAt: Timestamp
        var lastError: String
    }

    /// Rows delivered or given up whose deletion failed: id → channel.
    private(set) var removals: [Int64: String] = [:]
    /// Rows whose reschedule failed: id → what it should say.
    private(set) var retries: [Int64: Retry] = [:]
    /// Whether the failure to write is reported (logged once per streak of failures).
    var reported = false

    var isEmpty: Bool { removals.isEmpty && retries.isEmpty }

    mutating func remove(_ id: Int64, channel: String) {
        removals[id] = channel
        retries[id] = nil
    }

    mutating func retry(_ id: Int64, _ retry: Retry) { retries[id] = retry }

    /// Forgets `id` once its outcome is stored.
    mutating func saved(_ id: Int64) {
        removals[id] = nil
        retries[id] = nil
    }

    /// Whether the row was already delivered or dropped (never send it again).
    func isRemoved(_ id: Int64) -> Bool { removals[id] != nil }

    /// The row as it would read had its last failure been stored.
    func current(_ row: OutboxRow) -> OutboxRow {
        guard let retry = retries[row.id] else { return row }
        var row = row
        row.attempts = retry.attempts
        row.nextAttemptAt = retry.nextAttemptAt
        row.lastError = retry.lastError
        return row
    }
}
