import Testing
import TestSupport
@testable import Exposition
import Model

/// The cache must never change what a parse returns: warm parses are compared with cold ones.
@Suite("Series cache")
struct SeriesCacheTests {
    typealias Outcome = Result<[String], ExpositionError>

    /// Every entry rendered exactly (value bits included), or the error.
    static func outcome(_ bytes: [UInt8], _ format: ExpositionFormat, cache: inout SeriesCache) -> Outcome {
        var parser = ExpositionParser(bytes, format: format, cache: cache)
        cache = SeriesCache()
        var lines: [String] = []
        do {
            while let entry = try parser.next() {
                if case let .sample(labels, value, timestamp) = entry {
                    lines.append("\(labels) \(value.bitPattern) \(timestamp.map(String.init) ?? "-")")
                } else {
                    lines.append("\(entry)")
                }
            }
            cache = parser.cache
            return .success(lines)
        } catch {
            cache = parser.cache
            return .failure(error)
        }
    }

    /// A parse without a cache, and (checked to agree with it) one filling an empty cache.
    static func cold(_ bytes: [UInt8], _ format: ExpositionFormat) -> Outcome {
        var parser = ExpositionParser(bytes, format: format)
        var lines: [String] = []
        let plain: Outcome
        do {
            while let entry = try parser.next() {
                if case let .sample(labels, value, timestamp) = entry {
                    lines.append("\(labels) \(value.bitPattern) \(timestamp.map(String.init) ?? "-")")
                } else {
                    lines.append("\(entry)")
                }
            }
            plain = .success(lines)
        } catch {
            plain = .failure(error)
        }
        var cache = SeriesCache()
        let filling = outcome(bytes, format, cache: &cache)
        #expect(plain == filling)
        return plain
    }

    @Test("a warm parse of every corpus payload equals a cold one", arguments: Corpus.payloads("good"))
    func warmEqualsCold(_ name: String) throws {
        let bytes = try Corpus.bytes("good/" + name)
        let format = Corpus.format(of: name)
        var cache = SeriesCache()
        let first = SeriesCacheTests.outcome(bytes, format, cache: &cache)
        #expect(cache.count > 0)
        let second = SeriesCacheTests.outcome(bytes, format, cache: &cache)
        #expect(first == second)
        #expect(try first.get() == SeriesCacheTests.cold(bytes, format).get())
    }

    @Test("mutated payloads parse the same with a cache warmed on the original")
    func mutatedWarmEqualsCold() throws {
        let seeds = try Corpus.payloads("good").map(FuzzTests.Seed.init)
        var rng = SplitMix(state: 0xCAC4E)
        let warmed = seeds.map { seed in
            var cache = SeriesCache()
            _ = SeriesCacheTests.outcome(seed.bytes, seed.format, cache: &cache)
            return cache
        }
        for iteration in 0..<3000 {
            let seed = seeds[iteration % seeds.count]
            var cache = warmed[iteration % seeds.count]
            let mutated = FuzzTests.mutate(FuzzTests.window(seed, &rng), &rng)
            let warm = SeriesCacheTests.outcome(mutated, seed.format, cache: &cache)
            let cold = SeriesCacheTests.cold(mutated, seed.format)
            #expect(warm == cold, "\(String(decoding: mutated, as: UTF8.self).debugDescription)")
            if warm != cold { return }
        }
    }

    @Test("a series repeated in another spelling is a duplicate, cold or warm, and a failed parse leaves no false duplicate",
          arguments: ["a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", "a {x=\"1\", y=\"2\"} 1\na{x=\"1\",y=\"2\",} 2\n",
                      "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",y=\"2\"} 2\n"])
    func duplicateSpellings(_ payload: String) {
        let expected = ExpositionError(line: 2, column: 1, message: "duplicate sample for series a{x=\"1\", y=\"2\"}")
        #expect(SeriesCacheTests.cold(Array(payload.utf8), .prometheusText) == .failure(expected))
        var cache = SeriesCache()
        _ = SeriesCacheTests.outcome(Array(payload.utf8), .prometheusText, cache: &cache)
        #expect(SeriesCacheTests.outcome(Array(payload.utf8), .prometheusText, cache: &cache) == .failure(expected))
        let single = Array(payload.utf8.prefix { $0 != UInt8(ascii: "\n") }) + [UInt8(ascii: "\n")]
        #expect(SeriesCacheTests.outcome(single, .prometheusText, cache: &cache) != .failure(expected))
    }

    @Test("escaped, blank-spaced, empty-valued and non-ASCII spellings of one label set are duplicates; near misses are not",
          arguments: [
              ("a{x=\"q\\\"r\"} 1\na{x = \"q\\\"r\"} 2\n", true),
              ("a{x=\"\\t\"} 1\na{x=\"\\\\t\"} 2\n", true),          // an unknown escape is kept verbatim
              ("a{x=\"l\\nm\"} 1\na{x=\"l\\nm\"} 2\n", true),
              ("a{x=\"1\",y=\"\"} 1\na{x=\"1\"} 2\n", true),              // an empty value is no label
              ("a{x=\"é\",y=\"2\"} 1\na{y=\"2\", x=\"é\"} 2\n", true),
              ("a{x=\"1\",y=\"2\"} 1\na{x=\"12\"} 2\n", false),
              ("a{x=\"1\"} 1\na{y=\"1\"} 2\n", false),
              ("a{x=\"q\\\"\"} 1\na{x=\"q\\\\\"} 2\n", false),         // q" and q\\ differ
              ("a 1\na{__x=\"a\"} 2\n", false),
          ])
    func duplicateEscapes(_ payload: String, _ duplicate: Bool) {
        let cold = SeriesCacheTests.cold(Array(payload.utf8), .prometheusText)
        var cache = SeriesCache()
        _ = SeriesCacheTests.outcome(Array(payload.utf8), .prometheusText, cache: &cache)
        let warm = SeriesCacheTests.outcome(Array(payload.utf8), .prometheusText, cache: &cache)
        for outcome in [cold, warm] {
            if case .failure(let error) = outcome {
                #expect(duplicate && error.line == 2 && error.message.hasPrefix("duplicate sample"), "\(error) for \(payload.debugDescription)")
            } else {
                #expect(!duplicate, "no duplicate found in \(payload.debugDescription)")
            }
        }
    }

    @Test("series missing from a complete payload are forgotten; another format starts afresh")
    func eviction() {
        var cache = SeriesCache()
        _ = SeriesCacheTests.outcome(Array("a{x=\"1\"} 1\nb 2\n".utf8), .prometheusText, cache: &cache)
        #expect(cache.count == 2)
        _ = SeriesCacheTests.outcome(Array("a{x=\"1\"} 1\nc 2\n".utf8), .prometheusText, cache: &cache)
        #expect(cache.count == 2)
        _ = SeriesCacheTests.outcome(Array("d 1\n# EOF\n".utf8), .openMetrics, cache: &cache)
        #expect(cache.count == 1)
    }

    /// Lines that start with the bytes of the next cached series but are another series, or malformed.
    static let nearMisses = [
        "a {y=\"2\"} 1\nb{x=\"1\"} 2\n",        // text format: blanks, then a label set
        "a_b 1\nb{x=\"1\"} 2\n",                // the cached name is a prefix
        "a\t1\nb{x=\"1\"}} 2\n",               // a tab separator; junk after the label set
        "a\nb{x=\"1\"} 2\n",                     // no value
        "a 1\nb{x=\"1\"}\t2 3\n",              // a timestamp after a tab
        "a 1\nb{x=\"1\"} 2 x\n",                // junk where the timestamp goes
        "a  {} 1\nb{x=\"1\"} 2\n",              // empty label set after blanks
    ]

    @Test("a line starting with the next cached series' bytes parses as a cold parse does", arguments: nearMisses)
    func cursorNearMisses(_ payload: String) {
        var cache = SeriesCache()
        _ = SeriesCacheTests.outcome(Array("a 1\nb{x=\"1\"} 2\n".utf8), .prometheusText, cache: &cache)
        #expect(cache.count == 2)
        let bytes = Array(payload.utf8)
        #expect(SeriesCacheTests.outcome(bytes, .prometheusText, cache: &cache) == SeriesCacheTests.cold(bytes, .prometheusText))
    }

    @Test("with deferCachedLabels, cached series come without labels and lastCachedLabels has them")
    func deferredLabels() throws {
        let bytes = Array("a{x=\"1\"} 1\nb 2\n".utf8)
        var cache = SeriesCache()
        _ = SeriesCacheTests.outcome(bytes, .prometheusText, cache: &cache)
        var parser = ExpositionParser(bytes + Array("c{y=\"2\"} 3\n".utf8), format: .prometheusText, cache: cache)
        parser.deferCachedLabels = true
        var seen: [String] = []
        while let entry = try parser.next() {
            guard case let .sample(labels, _, _) = entry else { continue }
            seen.append("\(labels.isEmpty) \(parser.lastCachedLabels ?? labels)")
        }
        #expect(seen == ["true a{x=\"1\"}", "true b", "false c{y=\"2\"}"])
    }

    @Test("a cache filled while labels are deferred keeps only bytes, and decodes them when asked")
    func deferredFillKeepsBytesOnly() throws {
        let bytes = Array("a{x=\"1\",y=\"a\\\"b\"} 1\nb 2\na{x=\"2\"} 5\n".utf8)
        var first = ExpositionParser(bytes, format: .prometheusText, cache: SeriesCache())
        first.deferCachedLabels = true
        var decoded: [Labels] = []
        while let entry = try first.next() {
            guard case let .sample(labels, _, _) = entry else { continue }
            #expect(first.lastCachedLabels == nil)   // decoded now: the sample carries its labels
            decoded.append(labels)
        }
        var second = ExpositionParser(bytes, format: .prometheusText, cache: first.cache)
        second.deferCachedLabels = true
        var again: [Labels] = []
        while let entry = try second.next() {
            guard case let .sample(labels, _, _) = entry else { continue }
            #expect(labels.isEmpty)
            let cached = second.lastCachedLabels
            again.append(try #require(cached))
        }
        #expect(again == decoded)
        #expect(decoded.first?["y"] == "a\"b")
        // A duplicate found through the cache still names its series.
        var third = ExpositionParser(bytes + Array("b 3\n".utf8), format: .prometheusText, cache: second.cache)
        third.deferCachedLabels = true
        #expect(throws: ExpositionError.self) { while try third.next() != nil {} }
    }
}
