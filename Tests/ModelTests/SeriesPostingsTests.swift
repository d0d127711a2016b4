import Testing
@testable import Model

/// `SeriesPostings.match` returns ids in label-set order whether its ranks are current, brought
/// up to date by merging new ids in, or skipped for a small result (sorted directly).
@Suite struct SeriesPostingsTests {
    @Test("matches come in label order while series keep being added between selects")
    func orderWithAdditions() throws {
        var generator = SystemRandomNumberGenerator()
        var postings = SeriesPostings()
        var added: [Labels] = []
        let all = [try Matcher("job", .equal, "a")]
        let some = [try Matcher("job", .equal, "a"), try Matcher("shard", .equal, "3")]
        for round in 0..<40 {
            // Batches of varied size, with label sets in no particular order (and repeats of a value).
            for _ in 0..<Int.random(in: 1...(round % 5 == 0 ? 400 : 12), using: &generator) {
                let set: Labels = ["job": "a", "shard": String(Int.random(in: 0..<50, using: &generator)),
                                   "id": String(Int.random(in: 0..<1_000_000, using: &generator)) + "-\(added.count)"]
                added.append(set)
                _ = postings.add(set)
            }
            // `some` (about 2%) first, while new ids are not ranked yet: sorted directly; then `all`,
            // which merges the new ids into the ranks.
            for matchers in [some, all] {
                let got = postings.match(matchers).map { added[Int($0)] }
                let want = added.filter { set in matchers.allSatisfy { $0.matches(set) } }.sorted()
                #expect(got == want, "round \(round), \(matchers.count) matchers")
            }
        }
    }
}
