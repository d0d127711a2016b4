import Foundation
import Model
import Storage

/// Runs one retention pass (with its series prune) on an existing file, printing "open" before
/// it starts and "done" after; the crash tests kill it in between.
enum PruneChild {
    static func run(path: String, now: Timestamp, retention: Int64) throws {
        var options = TSDB.Options()
        options.retention = retention
        let db = try TSDB.open(path: path, options: options)
        FileHandle.standardOutput.write("open\n".data(using: .utf8)!)
        try db.applyRetention(now: now)
        FileHandle.standardOutput.write("done \(try db.stats().prunedSeries)\n".data(using: .utf8)!)
    }
}

/// The cost of pruning: `series` label sets (six labels each), half of them churned away
/// (samples only in the first block), half live; one retention pass deletes the old chunks and
/// prunes the dead half, then an idle prune pass shows the cost when nothing is left to delete.
enum PruneBench {
    static let hour: Int64 = 3_600_000

    static func labels(_ i: Int, dead: Bool) -> Labels {
        Labels(["__name__": dead ? "deploy_requests_total" : "http_requests_total", "job": "api", "instance": "10.0.\(i / 250).\(i % 250):9100",
                "pod": "api-\(i)", "version": dead ? "v\(i / 1000)" : "stable", "method": "GET"])
    }

    static func run(dir: String, series: Int) throws {
        let path = dir + "/prune.db"
        var options = TSDB.Options()
        options.retention = 6 * hour
        let db = try TSDB.open(path: path, options: options)
        let half = series / 2
        let dead = (0..<half).map { labels($0, dead: true) }
        let live = (0..<half).map { labels($0, dead: false) }
        for step in 0..<4 {   // one minute of the dead half at the start
            try db.append(SeriesBatch(series: dead, values: dead.map { _ in Sample(Int64(step) * 15_000, 1) }))
        }
        for step in 0..<4 {   // the live half in the last block before `now`, and once in the head
            try db.append(SeriesBatch(series: live, values: live.map { _ in Sample(12 * hour - 60_000 + Int64(step) * 15_000, 1) }))
        }
        try db.append(SeriesBatch(series: live, values: live.map { _ in Sample(12 * hour + 1000, 1) }))
        let (_, compactWall, _) = try timed { try db.compact(now: 12 * hour) }
        let (_, retentionWall, retentionCPU) = try timed { try db.applyRetention(now: 12 * hour) }
        let stats = try db.stats()
        let (_, idleWall, _) = try timed { try db.pruneSeries() }
        print("prune bench: \(series) series (\(half) dead), file \(stats.bytes / 1_048_576) MiB")
        print(String(format: "  compaction of both blocks:          %.2f s", compactWall))
        print(String(format: "  retention + prune of %d series: %.2f s wall, %.2f s CPU; pruned %d, left %d",
                     half, retentionWall, retentionCPU, stats.prunedSeries, stats.series))
        print(String(format: "  idle prune pass (%d live series):  %.3f s", stats.series, idleWall))
        db.close()
    }
}
