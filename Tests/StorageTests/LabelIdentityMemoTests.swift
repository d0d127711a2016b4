import Testing
import Model
@testable import Storage

@Suite struct LabelIdentityMemoTests {
    let dir = TempDirectory()

    @Test func memoFindsTheSameInstanceOnlyAndEmptiesPastItsLimit() {
        var memo = LabelIdentityMemo()
        let a = ls("m", ["i": "1"]), b = ls("m", ["i": "2"]), c = ls("m", ["i": "3"])
        memo.insert(a, 1, limit: 2)
        memo.insert(b, 2, limit: 2)
        #expect(memo.lookup(a) == 1)
        #expect(memo.lookup(b) == 2)
        #expect(memo.lookup(ls("m", ["i": "1"])) == nil)   // equal labels, another instance
        memo.insert(c, 3, limit: 2)
        #expect(memo.count == 1)
        #expect(memo.lookup(a) == nil)
        #expect(memo.lookup(c) == 3)
    }

    @Test func reusedAndFreshLabelsMapToTheSameSeries() throws {
        let db = try TSDB.open(path: dir.file("memo.db"), options: TSDB.Options())
        let reused = (0..<300).map { ls("m", ["i": "\($0)"]) }
        for step in 0..<3 {
            try db.append(reused.map { LabeledSample($0, Sample(Timestamp(step * 1000), Double(step))) })
        }
        // Equal label sets in new instances, in another order.
        try db.append(reused.reversed().map { LabeledSample(ls("m", ["i": $0["i"]!]), Sample(3000, 3)) })
        let series = try db.select([m("__name__", .equal, "m")], in: 0...Timestamp.max)
        #expect(series.count == 300)
        #expect(series.allSatisfy { $0.samples.map(\.value) == [0, 1, 2, 3] })
        #expect(try db.stats().series == 300)
    }
}
