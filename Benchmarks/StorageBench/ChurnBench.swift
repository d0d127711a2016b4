import Foundation
import Model
import SQLite
import Storage

/// Memory under label churn: `rounds` rounds of 2 h, each creating `series` new short-lived
/// series (samples in its first minute only) next to 1,000 stable ones, then one housekeeping
/// round (6 h retention, so each round prunes the series of three rounds before). Prints the
/// resident size (freed heap returned first) with the round's data in the head and queried,
/// and after its housekeeping: both should level off once pruning keeps pace, rather than grow
/// with the ids ever created.
enum ChurnBench {
    static let hour: Int64 = 3_600_000

    static func run(dir: String, series: Int, rounds: Int) throws {
        var options = TSDB.Options()
        options.retention = 6 * hour
        let db = try TSDB.open(path: dir + "/churn.db", options: options)
        let stable = (0..<1000).map { Labels(["__name__": "up", "job": "node", "instance": "host-\($0):9100"]) }
        print("churn bench: \(rounds) rounds of \(series) new series (1,000 stable), 6 h retention")
        for round in 0..<rounds {
            let start = Int64(round) * 2 * hour
            let pods = (0..<series).map {
                Labels(["__name__": "kube_pod_info", "namespace": "ns-\($0 % 20)", "pod": "web-\(round)-\($0)", "node": "n\($0 % 50)"])
            }
            let up = [try Matcher("__name__", .equal, "up")]
            var selectCPU = 0.0
            let (withHead, wall, _) = try timed { () throws -> Int in
                for step in 0..<2 {
                    try db.append(SeriesBatch(series: pods, values: pods.map { _ in Sample(start + Int64(step) * 30_000, 1) }))
                }
                for step in 0..<8 {
                    try db.append(SeriesBatch(series: stable, values: stable.map { _ in Sample(start + Int64(step) * 900_000, 1) }))
                }
                // Every live series, just after the round's new ones appeared (a rule over all of
                // them after a scrape that created series); fills the head cache.
                selectCPU = try timed { try db.select(up, in: start...start + 2 * hour) }.2
                ProcessMemory.returnFreedMemory()
                let rss = residentBytes()
                db.housekeepingRound(now: start + 2 * hour)
                _ = try db.select(up, in: start...start + 2 * hour)
                return rss
            }
            ProcessMemory.returnFreedMemory()
            let stats = try db.stats()
            print("  round \(round + 1): ids created \((round + 1) * series + 1000), live \(stats.series), "
                  + "pruned \(stats.prunedSeries), RSS \(fmt(Double(withHead) / 1_048_576, 1)) MiB with the head, "
                  + "\(fmt(Double(residentBytes()) / 1_048_576, 1)) MiB after housekeeping (\(fmt(wall, 1)) s; "
                  + "select of every series after the new ones: \(fmt(selectCPU * 1000)) ms CPU)")
        }
        // A query reading chunks of the stable series, now that ids reach past a million.
        let end = Int64(rounds) * 2 * hour
        var times: [Double] = []
        for _ in 0..<50 {
            let (_, _, cpu) = try timed { try db.select([try Matcher("__name__", .equal, "up")], in: end - 6 * hour...end) }
            times.append(cpu * 1000)
        }
        print("  1,000 stable series × 6 h after the churn: CPU median \(fmt(percentile(times, 0.5))) ms, p90 \(fmt(percentile(times, 0.9))) ms")
        db.close()
    }
}
