import Foundation
import Testing
@testable import Query

/// Parser errors (exact position and wording) and canonical printing, from testdata/parser.
@Suite struct ParserTests {
    /// Pairs of non-comment lines separated by blank lines; a case may span several lines
    /// before its last line (the expectation).
    static func cases(_ file: String) -> [(String, String)] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("testdata/parser/\(file)")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.hasPrefix("#") && !$0.isEmpty }
            guard lines.count >= 2 else { return nil }
            return (lines.dropLast().joined(separator: "\n"), lines.last!)
        }
    }

    @Test func errorFilesAreRead() {
        #expect(Self.cases("errors.txt").count >= 45)
        #expect(Self.cases("canonical.txt").count >= 30)
    }

    @Test(arguments: cases("errors.txt"))
    func error(_ query: String, _ expected: String) {
        do {
            let expr = try PromQL.parse(query)
            Issue.record("\(query) parsed as \(expr)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test(arguments: cases("canonical.txt"))
    func canonical(_ query: String, _ expected: String) throws {
        let expr = try PromQL.parse(query)
        #expect(expr.description == expected)
        // Printing is stable: the printed form parses and prints the same.
        #expect(try PromQL.parse(expr.description).description == expected)
    }

    @Test func positionsAreOneBased() {
        #expect(throws: ParseError.self) { try PromQL.parse("sum(rate(x[5m]) by (job)") }
        do {
            _ = try PromQL.parse("up == 1 and\n  foo{bar=}")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 11)
            #expect(error.message == "unexpected \"}\" in label matching, expected string")
        }
    }

    @Test func valueTypes() throws {
        #expect(try PromQL.parse("rate(x[5m])").valueType == .vector)
        #expect(try PromQL.parse("x[5m]").valueType == .matrix)
        #expect(try PromQL.parse("1 + 2").valueType == .scalar)
        #expect(try PromQL.parse("\"s\"").valueType == .string)
        #expect(try PromQL.parse("scalar(x) * 2").valueType == .scalar)
    }
}
