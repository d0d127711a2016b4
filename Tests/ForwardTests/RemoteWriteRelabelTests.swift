import Config
import Model
import Testing
@testable import Forward

@Suite struct RemoteWriteRelabelTests {
    let go: Labels = ["__name__": "go_goroutines", "job": "api", "instance": "a:1"]
    let http: Labels = ["__name__": "http_requests_total", "job": "api", "instance": "b:2", "code": "500"]

    @Test func dropsByNameRegexFullyAnchored() throws {
        let relabel = try WriteRelabeler([RelabelRule(sourceLabels: ["__name__"], separator: ";", regex: "go_.*", action: .drop)])
        #expect(!relabel.keeps(go))
        #expect(relabel.keeps(http))
        let anchored = try WriteRelabeler([RelabelRule(sourceLabels: ["__name__"], separator: ";", regex: "go", action: .drop)])
        #expect(anchored.keeps(go), "`go` does not match `go_goroutines` as a whole")
    }

    @Test func keepsOnlyMatchingJoinedSourceLabels() throws {
        let relabel = try WriteRelabeler([RelabelRule(sourceLabels: ["job", "code"], separator: "/", regex: "api/5..", action: .keep)])
        #expect(relabel.keeps(http))
        #expect(!relabel.keeps(go), "missing label joins as empty: `api/` does not match")
    }

    @Test func rulesApplyInOrderAndSeeExternalLabels() throws {
        let rules = [
            RelabelRule(sourceLabels: ["cluster"], separator: ";", regex: "eu-.*", action: .keep),
            RelabelRule(sourceLabels: ["__name__"], separator: ";", regex: "http_.*", action: .drop),
        ]
        let relabel = try WriteRelabeler(rules, externalLabels: ["cluster": "eu-1"])
        #expect(relabel.keeps(go))
        #expect(!relabel.keeps(http))
        #expect(!relabel.keeps(go.setting("cluster", to: "us-1")), "a series' own label wins over the external one")
        #expect(try WriteRelabeler([]).isEmpty)
    }

    @Test func encoderAppliesRelabellingAndShardsStably() throws {
        let relabel = try WriteRelabeler([RelabelRule(sourceLabels: ["__name__"], separator: ";", regex: "go_.*", action: .drop)])
        var encoder = BatchEncoder(shards: 4, maxSamplesPerSend: 2, relabeler: relabel, externalLabels: Labels())
        let samples = (0..<20).map { LabeledSample(http.setting("i", to: "\($0 % 5)"), Sample(Int64($0), 1)) } + [LabeledSample(go, Sample(0, 1))]
        let batches = encoder.encode([samples])
        #expect(batches.reduce(0) { $0 + $1.samples } == 20)
        #expect(batches.allSatisfy { $0.samples <= 2 })
        for batch in batches {
            let series = try WriteRequestDecoder.decode(compressed: batch.payload)
            #expect(series.allSatisfy { BatchEncoder.shard(of: Labels(sortedUnique: $0.labels), among: 4) == batch.shard })
            #expect(batch.oldest == series.map(\.samples[0].timestamp).min() && batch.newest == series.map(\.samples[0].timestamp).max())
        }
        // FNV-1a of the labels: fixed across processes (Swift's Hasher is seeded per process).
        // Reference values computed independently in Python.
        #expect(BatchEncoder.shard(of: ["__name__": "up", "job": "api"], among: 1_000_003) == 618_074)
        #expect(BatchEncoder.shard(of: ["__name__": "up", "job": "api"], among: 7) == 4)
    }
}
