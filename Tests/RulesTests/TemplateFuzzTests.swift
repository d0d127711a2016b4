import Foundation
import Model
import Testing
import TestSupport
@testable import Rules

/// Mutates the conformance templates (unbalanced braces, unknown functions, deep pipelines and
/// nesting, huge printf widths) and expands whatever parses with random labels and values: parsing
/// fails with a position inside the text, expansion fails with a message, neither traps.
/// `LOOKOUT_FUZZ_ITERATIONS` raises the iteration count for long local runs.
@Suite("Template fuzzing")
struct TemplateFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LOOKOUT_FUZZ_ITERATIONS"] ?? "") ?? 2000
    static let seed = UInt64(ProcessInfo.processInfo.environment["LOOKOUT_FUZZ_SEED"] ?? "") ?? 0x7E_3B1A

    static let seeds: [String] = TemplateConformanceTests.expected.cases.map(\.template) + [
        "{{ range $i, $s := query \"up\" }}{{ $i }}{{ $s.Labels.instance }}{{ else }}none{{ end }}",
        "{{ with $labels.job }}{{ . }}{{ end }}{{ if and (gt $value 1.0) (lt $value 9.0) }}x{{ else if eq 1 1 }}y{{ end }}",
        "{{ printf \"%*d|%-08.3f|%x|%q|%c|%b\" 1 2 3.5 \"hi\" \"q\" 65 7 }}",
    ]

    static let fragments: [String] = [
        "{{", "}}", "{{-", "-}}", "(", ")", "|", " ", "\"", "'", "`", "$", "$labels", "$value", ".Labels.job", ".",
        "if ", "else ", "end", "range ", "with ", "break", "continue", "define \"x\"", "template \"x\"", "block",
        "humanize ", "printf \"%99999999999999999999d\" 1", "printf \"%.99999999999d\" 1.5", "printf \"%10000000s\" 1",
        "nosuch ", "query \"up\"", "first ", "label \"instance\" ", "reReplaceAll \"(\" \"x\" ", "match \"[\" ",
        "1e400", "-9223372036854775808", "9223372036854775808", "0x8000000000000000", "'\\U0010FFFF'", "'\\x'",
        "toTime ", "humanizeDuration ", "parseDuration \"9223372036854775807y\"", "index . 1", "len ", "\n", "\r", "é",
        ":=", "=", ",",
    ]

    static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
        var chars = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let index = chars.isEmpty ? 0 : Int.random(in: 0...chars.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0, 1: chars.insert(contentsOf: fragments.randomElement(using: &rng)!, at: index)
            case 2: chars.removeSubrange(index..<min(chars.count, index + Int.random(in: 1...6, using: &rng)))
            case 3 where index < chars.count: chars[index] = Character(Unicode.Scalar(UInt8.random(in: 1...127, using: &rng)))
            default:
                let other = chars.isEmpty ? 0 : Int.random(in: 0..<chars.count, using: &rng)
                chars.insert(contentsOf: chars[min(index, other)..<max(index, other)].prefix(60), at: index)
            }
        }
        return String(chars)
    }

    static let values: [Double] = [0, -0.0, 1.5, -42, 1e20, -1e300, .nan, .infinity, -.infinity, 9.3e18, -9.3e18,
                                   Double(Int64.max), .leastNonzeroMagnitude, .greatestFiniteMagnitude]

    static func data(_ rng: inout SplitMix) -> AlertTemplateData {
        let texts = ["", "api", "host:9090", "é☃", String(repeating: "x", count: 300), "{{ $value }}", "%d", "\n\t\"\\"]
        var labels: [String: String] = ["__name__": "m"]
        for name in ["job", "instance", "path", "x"] where Bool.random(using: &rng) {
            labels[name] = texts.randomElement(using: &rng)!
        }
        return AlertTemplateData(labels: Labels(labels), externalLabels: ["env": texts.randomElement(using: &rng)!],
                                 externalURL: "http://lookout.example:9464", value: values.randomElement(using: &rng)!)
    }

    /// Whether a parse error points inside the text (a position one past the end is EOF).
    static func isInside(_ error: TemplateError, _ text: String) -> Bool {
        var lines: [Int] = [0]
        for character in text {
            if character.isNewline { lines.append(0) } else { lines[lines.count - 1] += 1 }
        }
        guard error.line >= 1, error.line <= lines.count, error.column >= 1, !error.message.isEmpty else { return false }
        return error.column <= lines[error.line - 1] + 1
    }

    @Test("mutated templates parse or fail inside the text; expansion never traps")
    func mutations() async {
        var rng = SplitMix(state: Self.seed)
        var parsed = 0, rejected = 0, expanded = 0, failed = 0
        var misplaced: [String] = []
        var largest = 0
        for iteration in 0..<Self.iterations {
            if iteration % 16 == 15 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let text = Self.mutate(Self.seeds[iteration % Self.seeds.count], &rng)
            let template: Template
            do throws(TemplateError) {
                template = try Template.parse(text)
                parsed += 1
            } catch {
                rejected += 1
                if !Self.isInside(error, text) { misplaced.append("\(error) in \(text.debugDescription)") }
                continue
            }
            do throws(TemplateExpansionError) {
                let output = try template.expand(Self.data(&rng), name: "__alert_F", query: TemplateConformanceTests.query)
                largest = max(largest, output.utf8.count)
                expanded += 1
            } catch {
                failed += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(misplaced.isEmpty, "\(misplaced.count): \(misplaced.prefix(3))")
        #expect(parsed > Self.iterations / 10 && rejected > Self.iterations / 10, "parsed \(parsed), rejected \(rejected)")
        #expect(expanded + failed == parsed)
        #expect(largest <= 20_000_000, "an expansion produced \(largest) bytes")
    }

    static func outcome(_ text: String) -> String {
        do {
            return try Template.parse(text).expand(AlertTemplateData(labels: ["job": "x"], value: 1.5), name: "__alert_R")
        } catch {
            return "\(error)"
        }
    }

    @Test("a width or precision past a million gives up like Go's parsenum instead of overflowing")
    func printfHugeNumbers() {
        #expect(Self.outcome("{{ printf \"%99999999999999999999d\" 1 }}") == "%!(NOVERB)%!(EXTRA int=1)")
        #expect(Self.outcome("{{ printf \"%.99999999999999999999f|\" 1.5 }}") == "%!(NOVERB)%!(EXTRA float64=1.5)")
        #expect(Self.outcome("{{ printf \"%12d\" 7 }}") == "           7")
    }

    @Test("deep block nesting and parentheses are parse errors, not stack overflows")
    func deepNesting() {
        let ifs = String(repeating: "{{if 1}}", count: 50_000) + String(repeating: "{{end}}", count: 50_000)
        #expect(Self.outcome(ifs) == "1:801: {{if}} nested too deeply (at most 100 levels)")
        let elseIfs = "{{if 0}}" + String(repeating: "{{else if 0}}", count: 50_000) + "{{end}}"
        #expect(Self.outcome(elseIfs).hasSuffix("{{if}} nested too deeply (at most 100 levels)"))
        let parens = "{{" + String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000) + "}}"
        #expect(Self.outcome(parens) == "1:103: parentheses nested too deeply (at most 100 levels)")
        let allowed = String(repeating: "{{with 1}}", count: 100) + "ok" + String(repeating: "{{end}}", count: 100)
        #expect(Self.outcome(allowed) == "ok")
        #expect(Self.outcome("{{" + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100) + "}}") == "1")
    }

    @Test("range over a huge integer is neither materialised nor endless")
    func hugeIntegerRange() {
        #expect(Self.outcome("{{ range 3 }}{{ . }}{{ end }}") == "012")
        #expect(Self.outcome("{{ range 9223372036854775807 }}x{{ end }}").hasSuffix("template too expensive"))
        #expect(Self.outcome("{{ range 100000 }}{{ printf \"%1000000d\" 1 }}{{ end }}").hasSuffix("template output exceeds 64 MiB"))
    }
}
