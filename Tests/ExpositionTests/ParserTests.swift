import Foundation
import Testing
import TestSupport
@testable import Exposition
import Model

@Suite("Exposition parser")
struct ParserTests {
    private func entries(_ text: String, _ format: ExpositionFormat) throws -> [ExpositionEntry] {
        var parser = ExpositionParser(text, format: format)
        var out: [ExpositionEntry] = []
        while let entry = try parser.next() { out.append(entry) }
        return out
    }

    @Test("metadata entries come out in order with unescaped help")
    func metadataEntries() throws {
        let text = "# HELP a_seconds Time with \\\\ and \\n and \\\"q\\\".\n# TYPE a_seconds summary\n"
            + "# UNIT a_seconds seconds\na_seconds_count 1\n# EOF\n"
        let got = try entries(text, .openMetrics)
        #expect(got == [
            .help(metric: "a_seconds", text: "Time with \\ and \n and \"q\"."),
            .type(metric: "a_seconds", type: .summary),
            .unit(metric: "a_seconds", unit: "seconds"),
            .sample(labels: ["__name__": "a_seconds_count"], value: 1, timestamp: nil),
        ])
    }

    @Test("text format keeps \\\" in HELP, maps untyped to unknown, treats UNIT and EOF as comments")
    func textMetadata() throws {
        let got = try entries("# HELP x say \\\"hi\\\"\n# TYPE x untyped\n# UNIT x seconds\n# EOF\nx 1\n", .prometheusText)
        #expect(got == [
            .help(metric: "x", text: "say \\\"hi\\\""),
            .type(metric: "x", type: .unknown),
            .sample(labels: ["__name__": "x"], value: 1, timestamp: nil),
        ])
    }

    @Test("empty label values are dropped, labels come out sorted")
    func labelsSortedAndEmptyDropped() throws {
        var parser = ExpositionParser("m{z=\"1\",b=\"\",a=\"2\",A=\"3\"} 4\n", format: .prometheusText)
        let samples = try parser.parseAll()
        #expect(samples.count == 1)
        #expect(samples[0].labels.map(\.name) == ["A", "__name__", "a", "z"])
        #expect(samples[0].labels["b"] == nil)
    }

    @Test("unknown escapes in label values are kept verbatim")
    func unknownEscapes() throws {
        var parser = ExpositionParser("m{path=\"C:\\\\dir\\tx\"} 1\n", format: .prometheusText)
        #expect(try parser.parseAll()[0].labels["path"] == "C:\\dir\\tx")
    }

    @Test("OpenMetrics timestamps are seconds converted exactly to milliseconds")
    func openMetricsTimestamps() throws {
        let text = "a 1 1.001\nb 1 -0.5\nc 1 1700000000\nd 1 1.5e3\ne 1 0.0009\n# EOF\n"
        var parser = ExpositionParser(text, format: .openMetrics)
        #expect(try parser.parseAll().map(\.timestamp) == [1001, -500, 1_700_000_000_000, 1_500_000, 0])
    }

    @Test("the same series may repeat in OpenMetrics with increasing timestamps only")
    func repeatedSeriesWithTimestamps() throws {
        var ok = ExpositionParser("a 1 1\na 2 2\n# EOF\n", format: .openMetrics)
        #expect(try ok.parseAll().count == 2)
        var bad = ExpositionParser("a 1 2\na 2 1\n# EOF\n", format: .openMetrics)
        #expect(throws: ExpositionError(line: 2, column: 1, message: "duplicate sample for series a")) { try bad.parseAll() }
    }

    @Test("after an error the parser keeps throwing it")
    func errorIsSticky() throws {
        var parser = ExpositionParser("ok 1\nbad{ 1\nok2 2\n", format: .prometheusText)
        #expect(try parser.next() != nil)
        let expected = ExpositionError(line: 2, column: 6, message: "expected label name")
        #expect(throws: expected) { try parser.next() }
        #expect(throws: expected) { try parser.next() }
    }

    @Test("an empty text payload has no entries; an empty OpenMetrics one lacks # EOF")
    func emptyPayloads() throws {
        #expect(try entries("", .prometheusText).isEmpty)
        #expect(try entries("\n\n# only comments\n", .prometheusText).isEmpty)
        #expect(throws: ExpositionError(line: 1, column: 1, message: "missing # EOF at end of OpenMetrics payload")) {
            try entries("", .openMetrics)
        }
        #expect(try entries("# EOF", .openMetrics).isEmpty)
    }

    @Test("the bitmask name classes agree with the plain definitions for every byte")
    func nameClasses() {
        for byte in UInt8.min...UInt8.max {
            #expect(byte.isMetricNameByte == (byte.isMetricNameStart || byte.isDigit), "byte \(byte)")
            #expect(byte.isLabelNameByte == (byte.isLabelNameStart || byte.isDigit), "byte \(byte)")
        }
    }

    @Test("names and label values repeated across samples share one decoded string")
    func interning() {
        var interner = StringInterner()
        let bytes: [UInt8] = Array("node_cpu_seconds_total node_cpu_seconds_total".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let first = interner.intern(buffer, 0..<22)
            let second = interner.intern(buffer, 23..<45)
            #expect(first == "node_cpu_seconds_total")
            #expect(first.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
                == second.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
        }
        var many = StringInterner()
        let words = (0..<2000).map { "label_\($0)" }
        let joined = Array(words.joined().utf8)
        joined.withUnsafeBufferPointer { buffer in
            var offset = 0
            for word in words {
                #expect(many.intern(buffer, offset..<offset + word.utf8.count) == word)
                offset += word.utf8.count
            }
        }
    }
}

@Suite("Format selection")
struct FormatTests {
    @Test("Content-Type chooses the format", arguments: [
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormat.openMetrics),
        ("Application/OpenMetrics-Text;version=0.0.1", .openMetrics),
        ("text/plain; version=0.0.4; charset=utf-8", .prometheusText),
        ("text/plain", .prometheusText),
        ("", .prometheusText),
        ("application/json", .prometheusText),
    ])
    func contentType(_ header: String, _ format: ExpositionFormat) {
        #expect(ExpositionFormat.from(contentType: header) == format)
    }

    @Test("a missing Content-Type means the text format")
    func missing() { #expect(ExpositionFormat.from(contentType: nil) == .prometheusText) }

    @Test("Accept prefers OpenMetrics 1.0.0, then text 0.0.4")
    func accept() throws {
        let header = ExpositionFormat.acceptHeader
        let om = try #require(header.range(of: "application/openmetrics-text;version=1.0.0"))
        let text = try #require(header.range(of: "text/plain;version=0.0.4"))
        #expect(om.lowerBound < text.lowerBound)
    }
}

@Suite("Number parsing")
struct NumberTests {
    private func double(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { NumberParsing.parseDouble($0, 0..<$0.count) }
    }

    @Test("values parse as Go's ParseFloat does", arguments: [
        ("1", 1.0), ("-0.035", -0.035), ("1e3", 1000), ("2.4387328E7", 24_387_328), ("+Inf", .infinity),
        ("-Inf", -.infinity), ("inf", .infinity), ("1.8446744073709552e+19", 1.8446744073709552e19),
        ("0.000912011", 0.000912011), ("123456789012345678901234", 1.2345678901234568e23), ("1e-400", 0),
        ("4.9406564584124654e-324", .leastNonzeroMagnitude), (".5", 0.5), ("5.", 5),
        ("0.12345678901234567890", 0.12345678901234568), ("1.0000000000000000", 1), ("7.12345678e2", 712.345678),
    ])
    func values(_ text: String, _ expected: Double) {
        #expect(double(text) == expected)
    }

    @Test("the fast paths agree bit for bit with strtod on 60k shortest-form and long decimals")
    func fastPathsAgreeWithStrtod() {
        var rng = SplitMix(state: 0xF10A7)
        var mismatches: [String] = []
        for iteration in 0..<60_000 {
            let text: String
            switch iteration % 3 {
            case 0: text = "\(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))"   // shortest round-trip form
            case 1: text = "\(Double(rng.next() % 1_000_000_000_000) / 1000)"
            default:
                let digits = String(rng.next() % 10_000_000_000_000_000_000)
                text = "\(digits.prefix(1)).\(digits.dropFirst())e\(Int(rng.next() % 40) - 20)"
            }
            let parsed = double(text)
            let reference = strtod(text, nil)
            if parsed?.bitPattern != reference.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("NaN in any case is NaN")
    func nan() {
        #expect(double("NaN")?.isNaN == true)
        #expect(double("nan")?.isNaN == true)
    }

    @Test("garbage is rejected", arguments: ["", "-", "1.2.3", "0x10", "1_000", "nan(1)", "e5", "1e", "12abc", "Infinite",
                                         "1.23456789x", "0.1234567:9", "0.12345678/", "0.1234567\u{7F}8"])
    func garbage(_ text: String) {
        #expect(double(text) == nil)
    }

    @Test("text timestamps are integer milliseconds without overflow")
    func milliseconds() {
        func parse(_ text: String) -> Int64? {
            Array(text.utf8).withUnsafeBufferPointer { NumberParsing.parseMilliseconds($0, 0..<$0.count) }
        }
        #expect(parse("1700000000000") == 1_700_000_000_000)
        #expect(parse("-1500") == -1500)
        #expect(parse("9223372036854775808") == nil)
        #expect(parse("1.5") == nil)
        #expect(parse("-") == nil)
    }
}
