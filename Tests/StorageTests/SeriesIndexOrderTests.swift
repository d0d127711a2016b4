import Testing
@testable import Model
@testable import Storage

/// `SeriesIndex.matchInLabelOrder` returns ids in label-set order while series are added and
/// pruned between queries: sorted directly (small results), by ranks merged with the new ids
/// (large ones), or by ranks alone.
@Suite struct SeriesIndexOrderTests {
    @Test("label order holds through additions and prunes between queries")
    func orderThroughChurn() throws {
        var generator = SystemRandomNumberGenerator()
        var index = SeriesIndex()
        var live: [UInt32: Labels] = [:]
        var nextID: UInt32 = 1
        let all = [try Matcher("job", .equal, "a")]
        let few = [try Matcher("job", .equal, "a"), try Matcher("shard", .equal, "3")]
        for round in 0..<40 {
            for _ in 0..<Int.random(in: 1...(round % 5 == 0 ? 400 : 12), using: &generator) {
                let labels: Labels = ["job": "a", "shard": String(Int.random(in: 0..<50, using: &generator)),
                                      "pod": String(Int.random(in: 0..<1_000_000, using: &generator)) + "-\(nextID)"]
                index.add(nextID, labels)
                live[nextID] = labels
                nextID += 1
            }
            if round % 3 == 2 {
                let gone = live.keys.filter { _ in Int.random(in: 0..<4, using: &generator) == 0 }
                index.remove(gone)
                for id in gone { live[id] = nil }
            }
            // `few` (about 2%) first, while new ids are unranked; then `all`, which ranks them.
            for matchers in [few, all] {
                let got = index.matchInLabelOrder(matchers).map { live[$0] }
                let want = live.values.filter { labels in matchers.allSatisfy { $0.matches(labels) } }.sorted()
                #expect(got == want, "round \(round), \(matchers.count) matchers")
            }
        }
    }
}
