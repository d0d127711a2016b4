import Foundation
import Model
import Storage

/// Appends numbered batches until killed, printing "ack N" only after batch N is committed.
enum CrashChild {
    static let series = 50

    static func batch(_ k: Int) -> [LabeledSample] {
        (0..<series).map { i in
            LabeledSample(Labels(["__name__": "crash_total", "i": "\(i)"]), Sample(Int64(k) * 15_000, Double(k * (i + 1))))
        }
    }

    static func run(path: String, first: Int) throws {
        let db = try TSDB.open(path: path)
        var k = first
        while true {
            try db.append(batch(k))
            guard try db.stats().heldSamples == 0 else {
                FileHandle.standardError.write("batch \(k) held in memory, not acknowledged\n".data(using: .utf8)!)
                exit(3)
            }
            FileHandle.standardOutput.write("ack \(k)\n".data(using: .utf8)!)
            if k % 25 == 0 { try db.compact(now: Int64(k) * 15_000) }
            k += 1
        }
    }
}
