import Foundation
@testable import Exposition
import Model

/// The payload files under testdata/: `good/*.prom|om` with `.expected` samples, `bad/*` with `.error`.
enum Corpus {
    static let root: URL = Bundle.module.url(forResource: "testdata", withExtension: nil)!

    static func payloads(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".prom") || $0.hasSuffix(".om") }.sorted()
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func format(of name: String) -> ExpositionFormat {
        name.hasSuffix(".om") ? .openMetrics : .prometheusText
    }

    /// `name` with its extension replaced.
    static func sibling(_ name: String, _ newExtension: String) -> String {
        (name as NSString).deletingPathExtension + "." + newExtension
    }

    /// One `.expected` line: `labels value timestamp|-`, split from the right since labels hold spaces.
    static func parseExpected(_ line: Substring) -> (labels: String, value: Double, timestamp: Timestamp?)? {
        guard let lastSpace = line.lastIndex(of: " ") else { return nil }
        let timestampText = line[line.index(after: lastSpace)...]
        let head = line[..<lastSpace]
        guard let valueSpace = head.lastIndex(of: " ") else { return nil }
        let valueText = head[head.index(after: valueSpace)...]
        let value = valueText == "NaN" ? Double.nan : Double(valueText)
        guard let value else { return nil }
        return (String(head[..<valueSpace]), value, timestampText == "-" ? nil : Timestamp(timestampText))
    }

    /// Runs a parser to the end, counting samples.
    static func drain(_ bytes: [UInt8], _ format: ExpositionFormat) throws(ExpositionError) -> Int {
        var parser = ExpositionParser(bytes, format: format)
        var count = 0
        while let entry = try parser.next() { if case .sample = entry { count += 1 } }
        return count
    }
}
