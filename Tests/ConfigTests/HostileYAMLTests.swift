import Config
import Foundation
import Testing

/// Hand-built inputs no mutation finds by chance: alias expansion bombs, alias loops, deep
/// nesting, control characters. Each must fail (or load) in bounded time with positioned
/// diagnostics (the time limit only catches hangs; speed is not measured here).
@Suite struct HostileYAMLTests {
    static func parse(_ text: String) -> (Result<LookoutConfig, ConfigErrors>, Double) {
        let start = ContinuousClock.now
        let result = ConfigLoader.parse(text: text, fileName: "hostile.yml", directory: "",
                                        environment: Fixtures.environment, validator: Fixtures.validator)
        let elapsed = ContinuousClock.now - start
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Nine levels of nine-fold aliases: 9^9 nodes if anything walks the expansion.
    static let laughs: String = {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [" + Array(repeating: previous, count: 9).joined(separator: ", ") + "]\n"
        }
        return text
    }()

    static func diagnostics(_ text: String) -> [String] {
        let (result, seconds) = parse(text)
        #expect(seconds < 30, "took \(seconds)s")  // a hang guard, not a speed measurement
        guard case .failure(let errors) = result else { return [] }
        return errors.diagnostics.map(\.description)
    }

    @Test("alias bombs used as values are never expanded")
    func laughsAsValues() {
        let lines = Self.diagnostics("x-anchors:\n" + Self.laughs.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            + "\nchecks: *a9\nglobal: {external_labels: *a9}\nalerts: [*a9]\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("hostile.yml:") })
    }

    @Test("an alias bomb as a mapping key fails quickly, positioned")
    func laughsAsKey() {
        let lines = Self.diagnostics("x-anchors:\n" + Self.laughs.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            + "\nchecks:\n  ? *a9\n  : 1\n")
        #expect(lines == ["hostile.yml:13:5: an alias (*a9) cannot be used in a mapping key"])
        #expect(Self.diagnostics("a: &k x\nb: {[1, *k]: 2}\n") == ["hostile.yml:2:9: an alias (*k) cannot be used in a mapping key"])
    }

    @Test("an alias to itself is an undefined alias, positioned")
    func aliasLoop() {
        let lines = Self.diagnostics("global: &g\n  external_labels: *g\n")
        #expect(lines.first?.hasPrefix("hostile.yml:2:20: ") == true, "\(lines)")
    }

    @Test(arguments: [100, 5_000, 100_000])
    func deepFlowNesting(depth: Int) {
        let lines = Self.diagnostics("checks: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("hostile.yml:1:") }, "\(lines.prefix(2))")
    }

    @Test func deepBlockNesting() {
        var text = ""
        for level in 0..<3_000 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        let lines = Self.diagnostics(text)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("hostile.yml:") }, "\(lines.prefix(2))")
    }

    @Test("a control character is reported at its line and column")
    func controlCharacter() {
        #expect(Self.diagnostics("global:\n  data_dir: /x\u{1}y\n")
            == ["hostile.yml:2:15: cannot read YAML: control characters are not allowed (found U+0001)"])
        #expect(Self.diagnostics("global:\r\n  data_dir: \"é\u{301}\u{7F}\"\n")
            == ["hostile.yml:2:16: cannot read YAML: control characters are not allowed (found U+007F)"])
    }

    @Test("hundreds of duplicate keys stay bounded")
    func manyDuplicates() {
        let text = "global:\n" + (0..<400).map { "  k\($0 % 3): \($0)\n" }.joined()
        let lines = Self.diagnostics(text)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("hostile.yml:") })
    }

    @Test("duplicate keys are found in files with old Mac (CR) and Unicode line breaks")
    func duplicatesAfterOtherLineBreaks() {
        #expect(Self.diagnostics("global:\r  retention: 1d\r  retention: 2d\r")
            == ["hostile.yml:3:3: global: duplicate key \"retention\" (first at line 2, column 3)"])
        #expect(Self.diagnostics("global:\u{2028}  retention: 1d\n  retention: 2d\n")
            == ["hostile.yml:3:3: global: duplicate key \"retention\" (first at line 2, column 3)"])
    }
}
