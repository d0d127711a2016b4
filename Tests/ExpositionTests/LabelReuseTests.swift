import Testing
import TestSupport
@testable import Exposition
import Model

/// The parser carries state from one sample to the next (decoded label pairs, the previous metric
/// name, the labels of a first part of the series text shared with the previous sample): every
/// sample must still come out as a fresh parser gives it for its line alone, errors included.
@Suite("Labels decoded across samples")
struct LabelReuseTests {
    private static let names = ["m", "m_bucket", "abcdefgh_total", "abcdefgh_totals", "abcdefgh"]
    private static let labelNames = ["a", "b", "le", "A", "_x", "method", "endpoint", "abcdefgh", "abcdefghij",
                                     "abcdefghik", "abcdefgh_", "__a", "status", "quantile", "code"]
    private static let values = ["", "1", "GET", "x\\\"y", "é", "a\\\\b", "/api/v1/users/items", "0.5", "\\n", "+Inf"]

    private static func pick<T>(_ items: [T], _ rng: inout SplitMix) -> T {
        items[Int(rng.next() % UInt64(items.count))]
    }

    /// One series text: a fresh one, or the previous one cut after one of its label values and continued.
    private static func series(after previous: String?, _ rng: inout SplitMix) -> String {
        var text: String
        if let previous, rng.next() % 3 != 0, let cut = cutPoints(previous).randomElement(using: &rng) {
            text = String(previous.prefix(cut))
        } else {
            text = pick(names, &rng) + (rng.next() % 8 == 0 ? " " : "")
            if rng.next() % 6 == 0 { return text }
            text += rng.next() % 50 == 0 ? "{__name__=\"x\"" : "{"
        }
        let count = Int(rng.next() % 3)
        for index in 0..<count {
            if !text.hasSuffix("{"), !text.hasSuffix(",") { text += rng.next() % 8 == 0 ? " , " : "," }
            let blank = rng.next() % 10 == 0 ? " " : ""
            // Mostly names the series does not have yet; now and then a repeated one (an error).
            var name = pick(labelNames, &rng)
            for _ in 0..<8 where rng.next() % 30 != 0 && (text.contains("{\(name)") || text.contains(",\(name)")) {
                name = pick(labelNames, &rng)
            }
            text += name + blank + "=" + blank + "\"" + pick(values, &rng) + "\""
            if index == count - 1, rng.next() % 10 == 0 { text += "," }
        }
        return text + "}"
    }

    /// Character counts just past each closing quote of a label value.
    private static func cutPoints(_ text: String) -> [Int] {
        var points: [Int] = [], inside = false, escaped = false
        for (offset, character) in text.enumerated() {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = inside; continue }
            if character == "\"" { inside.toggle(); if !inside { points.append(offset + 1) } }
        }
        return points
    }

    private enum Outcome: Equatable {
        case labels(Labels)
        case failure(column: Int, message: String)
    }

    private static func alone(_ line: String) -> Outcome {
        var parser = ExpositionParser(Array((line + "\n").utf8), format: .prometheusText)
        do {
            while let entry = try parser.next() { if case .sample(let labels, _, _) = entry { return .labels(labels) } }
            return .failure(column: 0, message: "no sample")
        } catch {
            return .failure(column: error.column, message: error.message)
        }
    }

    @Test("series that share first labels come out as each line alone does, cold and warm")
    func sharedPrefixes() {
        var rng = SplitMix(state: 0xC01D)
        var checkedSamples = 0, checkedErrors = 0
        for _ in 0..<400 {
            var lines: [String] = [], previous: String?
            for index in 0..<30 {
                var text = LabelReuseTests.series(after: previous, &rng)
                for _ in 0..<20 where lines.contains(where: { $0.hasPrefix(text + " ") }) {
                    text = LabelReuseTests.series(after: previous, &rng)
                }
                previous = text
                lines.append("\(text) \(index)")
            }
            let payload = Array(lines.joined(separator: "\n").utf8)
            var cache = SeriesCache()
            for warm in [false, true] {
                var parser = warm ? ExpositionParser(payload, format: .prometheusText, cache: cache)
                                  : ExpositionParser(payload, format: .prometheusText)
                var seen: [Labels] = []
                do {
                    while let entry = try parser.next() {
                        guard case .sample(let labels, _, _) = entry else { continue }
                        #expect(Outcome.labels(labels) == LabelReuseTests.alone(lines[seen.count]), "line \(seen.count + 1) of \(lines)")
                        seen.append(labels)
                        checkedSamples += 1
                    }
                } catch {
                    let line = error.line - 1
                    if error.message.hasPrefix("duplicate sample") {
                        guard case .labels(let labels) = LabelReuseTests.alone(lines[line]) else { Issue.record("\(error)"); break }
                        #expect(seen.contains(labels), "\(error) in \(lines)")
                    } else {
                        #expect(Outcome.failure(column: error.column, message: error.message) == LabelReuseTests.alone(lines[line]),
                                "line \(line + 1) of \(lines)")
                    }
                    #expect(line == seen.count)
                    checkedErrors += 1
                }
                cache = parser.cache
            }
        }
        #expect(checkedSamples > 5000 && checkedErrors > 100, "\(checkedSamples) samples, \(checkedErrors) errors")
    }

    @Test("a copied parser and its original go on independently")
    func copiedParser() throws {
        let text = "m{a=\"1\",b=\"2\"} 1\nm{a=\"1\",b=\"3\"} 2\nm{x=\"1\",b=\"2\"} 3\n"
        var original = ExpositionParser(Array(text.utf8), format: .prometheusText)
        _ = try original.next()
        var copy = original
        // The original moves on two samples; the copy must not take their labels for its own.
        _ = try original.next()
        _ = try original.next()
        var fromCopy: [ExpositionEntry] = []
        while let entry = try copy.next() { fromCopy.append(entry) }
        #expect(fromCopy == [
            .sample(labels: ["__name__": "m", "a": "1", "b": "3"], value: 2, timestamp: nil),
            .sample(labels: ["__name__": "m", "b": "2", "x": "1"], value: 3, timestamp: nil),
        ])
    }

    @Test("a label order worked out for one sample is reused only for the same names written in the same order")
    func reusedOrder() throws {
        let text = """
            m{b="1",a="1"} 1
            m{b="2",a="2"} 2
            n{d="1",c="1"} 3
            n{a="3",b="3"} 4
            n{b="4",a="4",c="4"} 5
            n{b="5",a="5",c="5"} 6
            n{c="6",b="6",a="6"} 7

            """
        var parser = ExpositionParser(Array(text.utf8), format: .prometheusText)
        var labels: [Labels] = []
        while let entry = try parser.next() { if case .sample(let set, _, _) = entry { labels.append(set) } }
        #expect(labels == [
            ["__name__": "m", "a": "1", "b": "1"], ["__name__": "m", "a": "2", "b": "2"],
            ["__name__": "n", "c": "1", "d": "1"], ["__name__": "n", "a": "3", "b": "3"],
            ["__name__": "n", "a": "4", "b": "4", "c": "4"], ["__name__": "n", "a": "5", "b": "5", "c": "5"],
            ["__name__": "n", "a": "6", "b": "6", "c": "6"],
        ])
        #expect(labels.allSatisfy { set in zip(set, set.dropFirst()).allSatisfy { $0.name < $1.name } })
    }

    @Test("OpenMetrics le and quantile values are still checked on every sample, their pairs known or not")
    func numericLabels() {
        let payloads = [
            ("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{a=\"x\",le=\"1\"} 1\nh_bucket{le=\"x1\"} 1\n# EOF\n",
             "line 4, column 9: h_bucket has non-numeric le \"x1\""),
            ("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{a=\"x\",le=\"\"} 1\n# EOF\n",
             "line 3, column 9: h_bucket has no le label"),
            ("# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.5\",b=\"y\"} 1\ns{quantile=\"p99\"} 1\n# EOF\n",
             "line 4, column 2: s has non-numeric quantile \"p99\""),
        ]
        for (text, expected) in payloads {
            var parser = ExpositionParser(Array(text.utf8), format: .openMetrics)
            do {
                while try parser.next() != nil {}
                Issue.record("no error for \(text)")
            } catch {
                #expect("line \(error.line), column \(error.column): \(error.message)" == expected)
            }
        }
    }
}
