import Foundation
import Model
import Query

/// Instant vector selectors over every series, the case `SeriesQuerier.selectLatest` is for: as
/// instant queries (a rule evaluation) and as range queries over the last hour with a small
/// (15 s) and a large (5 min) step. Prints the best of `rounds` CPU milliseconds of each.
func benchSelectors(_ label: String, _ store: any SeriesQuerier, at time: Timestamp, rounds: Int) throws {
    let engine = Engine(querier: store)
    let texts = [#"count({__name__=~".+"})"#, "sum by (job) (memory_bytes)", "up == 0", "max(disk_free_bytes)"]
    let parsed = try texts.map { try PromQL.parse($0) }
    let cases: [(name: String, step: Int64?)] = [("instant", nil), ("range 1h step 15s", 15_000), ("range 1h step 5m", 300_000)]
    for (name, step) in cases {
        var best = Double.infinity
        var elements = 0
        for _ in 0..<max(1, rounds) {
            let cpuStart = cpuMilliseconds()
            elements = 0
            for expr in parsed {
                if let step {
                    if case .matrix(let series) = try engine.range(expr, start: time - 3_600_000, end: time, step: step) {
                        elements += series.reduce(0) { $0 + $1.samples.count }
                    }
                } else if case .vector(let vector) = try engine.instant(expr, at: time) {
                    elements += vector.count
                }
            }
            best = min(best, cpuMilliseconds() - cpuStart)
        }
        print(String(format: "%@ selectors %@: %.1f ms CPU best of %d (4 expressions over all 20000 series, %d points)",
                     label, name, best, max(1, rounds), elements))
    }
}
