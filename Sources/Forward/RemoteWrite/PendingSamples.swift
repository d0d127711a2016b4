import Model

/// Samples handed over by the collector and the rule evaluator, not yet encoded into the backlog.
/// Appending is a few pointer copies: the batches are kept as the arrays they came in.
struct PendingSamples: Sendable {
    private(set) var batches: [[LabeledSample]] = []
    private(set) var count = 0
    /// Beyond this many samples the oldest batches are dropped (only if the backlog cannot keep up).
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Appends `batch`; returns how many older samples were dropped to stay within `limit`.
    mutating func append(_ batch: [LabeledSample]) -> Int {
        batches.append(batch)
        count += batch.count
        var dropped = 0
        while count > limit, batches.count > 1 {
            let oldest = batches.removeFirst()
            count -= oldest.count
            dropped += oldest.count
        }
        return dropped
    }

    /// Takes every pending batch, oldest first.
    mutating func takeAll() -> [[LabeledSample]] {
        defer { batches = []; count = 0 }
        return batches
    }
}
