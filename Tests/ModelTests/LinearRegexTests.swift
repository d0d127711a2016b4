import Foundation
import Model
import Testing

/// `LinearRegex` against Go's `regexp` (testdata/regex_cases.jsonl, written by
/// testdata/regex_oracle.go), plus the cases that motivate it.
struct LinearRegexTests {
    private struct Case: Decodable {
        let p: String
        let ok: Bool
        let t: String?
        let whole: Bool?
        let contains: Bool?
        let groups: [Int]?
        let repl: String?
    }

    private static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("testdata/regex_cases.jsonl")
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(Case.self, from: Data($0.utf8))
        }
    }

    @Test func agreesWithGoRegexp() throws {
        var failures: [String] = []
        let all = try Self.cases()
        #expect(all.count > 3000)
        for item in all {
            let compiled = Result { () throws(RegexSyntaxError) -> LinearRegex in try LinearRegex(item.p) }
            guard item.ok else {
                if case .success = compiled { failures.append("accepted \(item.p.debugDescription), Go refuses it") }
                continue
            }
            guard case .success(let regex) = compiled else {
                if case .failure(let error) = compiled { failures.append("refused \(item.p.debugDescription): \(error)") }
                continue
            }
            let text = item.t ?? ""
            let label = "\(item.p.debugDescription) on \(text.debugDescription)"
            if regex.wholeMatches(text) != item.whole { failures.append("\(label): whole \(item.whole!) in Go") }
            if regex.containsMatch(text) != item.contains { failures.append("\(label): contains \(item.contains!) in Go") }
            if regex.containsMatch(Array(text.utf8)) != item.contains { failures.append("\(label): contains (bytes)") }
            let match = regex.wholeMatch(text)
            let groups = match.map { match in
                (0..<regex.groupNames.count).flatMap { index -> [Int] in
                    guard let range = match.groupRange(index) else { return [-1, -1] }
                    return [range.lowerBound, range.upperBound]
                }
            }
            if groups != item.groups { failures.append("\(label): groups \(groups ?? []) vs Go \(item.groups ?? [])") }
            let replaced = regex.replaceAll(in: text, with: "<$1|${0}>")
            if replaced != item.repl { failures.append("\(label): replaced \(replaced.debugDescription) vs Go \(item.repl!.debugDescription)") }
        }
        #expect(failures.isEmpty, "\(failures.count) differences, first: \(failures.prefix(30).joined(separator: "\n"))")
    }

    @Test func randomPatternsNeverCrash() async {
        // Bounded: 6,000 patterns of up to 24 characters from regex syntax, each compiled and,
        // when it compiles, run in every mode on a few texts.
        let alphabet = Array(#"()[]{}|*+?.^$\-,:<>=!PpQEdDwWbBAzx0123456789abcAZ_ié\n"#.unicodeScalars) + ["\n", "\u{0}"]
        let texts = ["", "a", "abc", "a\nb", "é9_Z", String(repeating: "ab", count: 40)]
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var compiled = 0
        for iteration in 0..<6_000 {
            if iteration % 64 == 63 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            var pattern = String.UnicodeScalarView()
            for _ in 0..<next(25) { pattern.append(alphabet[next(alphabet.count)]) }
            guard let regex = try? LinearRegex(String(pattern)) else { continue }
            compiled += 1
            for text in texts {
                let whole = regex.wholeMatches(text)
                #expect(whole == (regex.wholeMatch(text) != nil), "\(String(pattern).debugDescription) on \(text.debugDescription)")
                if whole { #expect(regex.containsMatch(text)) }
                _ = regex.replaceAll(in: text, with: "<$1>")
            }
        }
        #expect(compiled > 300)
    }

    @Test func nestedQuantifiersRunInLinearTime() throws {
        // Exponential for a backtracking engine (Swift's Regex needs minutes for 20 a's).
        let regex = try LinearRegex("(a+)+b")
        let text = String(repeating: "a", count: 5_000)
        #expect(!regex.wholeMatches(text))
        #expect(!regex.containsMatch(text))
        #expect(regex.wholeMatch(text) == nil)
        #expect(regex.replaceAll(in: String(repeating: "a", count: 300), with: "x") == String(repeating: "a", count: 300))
    }

    @Test func refusesWhatRE2Refuses() {
        for pattern in [#"(a)\1"#, "(?=a)", "(?<!a)b", "a**", "a{1001}", "(", "[a", "x{2}{3}"] {
            #expect(throws: RegexSyntaxError.self) { try LinearRegex(pattern) }
        }
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(String(repeating: "(", count: 300) + String(repeating: ")", count: 300)) }
        #expect(throws: RegexSyntaxError.self) { try LinearRegex("((a{1000}){1000}){1000}") }
    }

    @Test func errorsNameTheFragment() {
        func failure(_ pattern: String) -> RegexSyntaxError? {
            do { _ = try LinearRegex(pattern); return nil } catch { return error }
        }
        #expect(failure("(ab").map { ($0.reason, $0.fragment) } ?? ("", "") == ("missing closing )", "(ab"))
        #expect(failure(#"a\8"#).map { ($0.reason, $0.fragment) } ?? ("", "") == ("invalid escape sequence", #"\8"#))
        #expect(failure("[a").map(String.init(describing:)) == "error parsing regexp: missing closing ]: `[a`")
    }

    @Test func namedGroupsExpandAsInGo() throws {
        let regex = try LinearRegex(#"(?P<host>[^:]+):(\d+)"#)
        let match = try #require(regex.wholeMatch("db-1:5432"))
        #expect(regex.expand("$host/${2}/$1x/$$/$", match) == "db-1/5432//$/$")
        #expect(regex.expand("${host}x", match) == "db-1x")
        #expect(regex.groupNames == [nil, "host", nil])
    }

    @Test func matchesScalarsNotGraphemes() throws {
        // "e" + COMBINING ACUTE ACCENT is two scalars: `.` matches one of them, as in Go.
        #expect(try !LinearRegex("^.$").wholeMatches("e\u{301}"))
        #expect(try LinearRegex("^..$").wholeMatches("e\u{301}"))
        #expect(try LinearRegex(#"\d+"#).wholeMatches("123") && !LinearRegex(#"\d"#).wholeMatches("٣"))
    }
}
