import Foundation
import Model
import Testing
import TestSupport
@testable import Config

/// Mutates the shipped config, the testdata configs and rule files (byte flips, line deletions and
/// duplications, indentation changes, value swaps, anchors and aliases) and checks loading never
/// crashes, finishes quickly, and reports every problem as `file:line:column: …` inside the file.
/// `LOOKOUT_FUZZ_ITERATIONS` raises the iteration counts for long local runs.
@Suite("Config fuzzing")
struct ConfigFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LOOKOUT_FUZZ_ITERATIONS"] ?? "") ?? 2000
    static let seed = UInt64(ProcessInfo.processInfo.environment["LOOKOUT_FUZZ_SEED"] ?? "") ?? 0xC0_F1_65

    /// One file to mutate, loaded from the directory it lives in (so relative rule files resolve).
    struct Seed {
        let name: String
        let directory: String
        let text: String
    }

    static let configSeeds: [Seed] = {
        var seeds = [Seed(name: "lookout.yml", directory: Fixtures.repoRoot + "/config",
                          text: Fixtures.read(Fixtures.repoRoot + "/config/lookout.yml")),
                     Seed(name: "lookout.reference.yml", directory: Fixtures.repoRoot + "/config",
                          text: Fixtures.read(Fixtures.repoRoot + "/config/lookout.reference.yml"))]
        for (sub, suffix) in [("good", ".good.yml"), ("bad", ".bad.yml")] {
            let directory = Fixtures.testdata + "/" + sub
            seeds += Fixtures.files(in: directory, suffix: suffix).map {
                Seed(name: $0, directory: directory, text: Fixtures.read(directory + "/" + $0))
            }
        }
        return seeds
    }()

    static let ruleSeeds: [String] = {
        let directories = [Fixtures.repoRoot + "/config/rules", Fixtures.testdata + "/good/rules"]
        return directories.flatMap { directory in Fixtures.files(in: directory, suffix: ".yml").map { Fixtures.read(directory + "/" + $0) } }
    }()

    // MARK: - Mutations

    static let values: [String] = [
        "0s", "-5m", "0", "-1", "99999999999d", "9223372036854775807y", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "106751991167d", "1e400", "-0", ".nan", ".inf", "5m1h", "1ms5s", "1h30m", "[]", "{}",
        "[a, [b, {c: d}]]", "{a: 1, b: [2]}", "~", "null", "''", "\"\"", "true", "yes", "\"\\u00e9\\u200b\\ud83d\"",
        "é☃🚨", "\"\\t\\0\"", "*a", "&a x", "&a [1, 2]", "!!binary aGk=", "!!int 3", "!!map {}", "!custom x", "|\n  block",
        ">-\n  folded", "'{{ $labels.x'", "\"{{ humanize }}\"", "'foo=~\"(\"'", "'{a=\"b\"}'", "a!~\"[\"", "'x=\"\\'",
        "\"25:99\"", "\"08:00\"", "\"-1:-1\"", "Mars/Phobos", "UTC", "\"${UNSET_VAR}\"", "\"${NUMBER_VAR}\"", "\"${\"",
        "\"$${X}\"", "\"${SET_VAR:-d}\"", "\"${:-}\"", "\"[::1]:99999\"", "\":0\"", "\"[::1\"", "http://", "https://x:1/p",
        "0x10", "1_000", "08", "+5", "1e-400", "99999999999999999999999999", "1TB", "9999999999TB", "-1KB", "@@",
        "rules/*.yml", "\"[\"", "'a{1000000}'", "'(a*)*$'", "? x", "- - -", "\t", "# comment", "<<: *a",
        "*a9", "[*a9, *a9]", "{k: *a9}", "? *a9",
    ]

    static let keys: [String] = [
        "<<", "__name__", "alertname", "? [a]", "? {a: b}", "*a", "&a k", "\"\\u0000\"", "é", "!!str k", "''", "~",
    ]

    static func lineMutation(_ text: String, _ rng: inout SplitMix) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        let index = Int.random(in: 0..<lines.count, using: &rng)
        let line = lines[index]
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: lines.remove(at: index)
        case 1: lines.insert(line, at: index)
        case 2:
            let other = Int.random(in: 0..<lines.count, using: &rng)
            lines.swapAt(index, other)
        case 3: lines[index] = String(repeating: " ", count: Int.random(in: 1...3, using: &rng)) + line
        case 4: lines[index] = String(line.dropFirst(Int.random(in: 1...2, using: &rng)))
        case 5: lines[index] = "\t" + line
        case 6, 7:
            // Swap the value after the first ": " or "- " for an interesting one.
            let value = values.randomElement(using: &rng)!
            if let colon = line.range(of: ": ") {
                lines[index] = line[..<colon.upperBound] + value
            } else if let dash = line.range(of: "- ") {
                lines[index] = line[..<dash.upperBound] + value
            } else {
                lines[index] = line + " " + value
            }
        default:
            let key = keys.randomElement(using: &rng)!
            let indent = line.prefix { $0 == " " || $0 == "-" }
            if let colon = line.firstIndex(of: ":") {
                lines[index] = indent + key + line[colon...]
            } else {
                lines.insert(indent + key + ": " + values.randomElement(using: &rng)!, at: index)
            }
        }
        return lines.joined(separator: "\n")
    }

    static let interesting: [UInt8] = Array("{}[]:,-?&*!|>'\"#%@` \n\t\r\\$0919aZ.".utf8) + [0, 0x01, 0x7F, 0x80, 0xC3, 0xFF]

    static func byteMutation(_ text: String, _ rng: inout SplitMix) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
            let index = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...16, using: &rng)))
            case 2: bytes.insert(interesting.randomElement(using: &rng)!, at: index)
            case 3: bytes[index] = interesting.randomElement(using: &rng)!
            default: bytes.removeSubrange(index...)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
        var text = text
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            text = Bool.random(using: &rng) ? lineMutation(text, &rng) : byteMutation(text, &rng)
        }
        return text
    }

    // MARK: - Checks

    /// What is wrong with the diagnostics of one load: each must be `file:line:column: …` with the
    /// position inside the file, and carry a message.
    static func problems(_ errors: ConfigErrors, text: String, file: String) -> [String] {
        let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        let lineCount = text.unicodeScalars.count(where: { breaks.contains($0) }) + 1
        let onlyNewlines = !text.unicodeScalars.contains { breaks.contains($0) && $0 != "\n" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var problems: [String] = []
        for diagnostic in errors.diagnostics {
            let position = diagnostic.position
            let prefix = "\(position.file):\(position.line):\(position.column): "
            var wrong = position.line < 1 || position.column < 1 || diagnostic.message.isEmpty
                || !diagnostic.description.hasPrefix(prefix) || diagnostic.message.contains("at byte")
            if position.file == file {
                wrong = wrong || position.line > lineCount + 1
                if onlyNewlines, position.line <= lines.count {
                    wrong = wrong || position.column > lines[position.line - 1].unicodeScalars.count + 1
                }
            }
            if wrong { problems.append(diagnostic.description) }
        }
        return problems
    }

    struct Tally {
        var loaded = 0, rejected = 0, slowest = 0.0
        var problems: [String] = []
    }

    static func load(_ text: String, seed: Seed, into tally: inout Tally) {
        let start = ContinuousClock.now
        let result = ConfigLoader.parse(text: text, fileName: "fuzz.yml", directory: seed.directory,
                                        environment: Fixtures.fullEnvironment, validator: Fixtures.validator)
        let elapsed = ContinuousClock.now - start
        tally.slowest = max(tally.slowest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        switch result {
        case .success: tally.loaded += 1
        case .failure(let errors):
            tally.rejected += 1
            if errors.diagnostics.isEmpty { tally.problems.append("failure without diagnostics") }
            let found = problems(errors, text: text, file: "fuzz.yml")
            if !found.isEmpty { tally.problems.append("\(found.prefix(2)) in \(text.debugDescription.prefix(2000))") }
        }
    }

    // MARK: - Tests

    @Test("mutated configs load or fail with file:line:column diagnostics, quickly")
    func configMutations() async {
        var rng = SplitMix(state: Self.seed)
        var tally = Tally()
        for iteration in 0..<Self.iterations {
            if iteration % 16 == 15 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let seed = Self.configSeeds[iteration % Self.configSeeds.count]
            var text = Self.mutate(seed.text, &rng)
            // Now and then the nine-fold alias bomb is defined, so `*a9` values refer to it.
            if iteration % 8 == 0 {
                text = "x-anchors:\n" + HostileYAMLTests.laughs.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n" + text
            }
            Self.load(text, seed: seed, into: &tally)
        }
        #expect(tally.problems.isEmpty, "\(tally.problems.count) bad: \(tally.problems.prefix(3))")
        #expect(tally.loaded + tally.rejected == Self.iterations)
        #expect(tally.rejected > Self.iterations / 10, "loaded \(tally.loaded), rejected \(tally.rejected)")
        #expect(tally.slowest < 10, "slowest load took \(tally.slowest)s")  // a hang guard only
    }

    @Test("mutated rule files load or fail with file:line:column diagnostics")
    func ruleFileMutations() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-fuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/fuzz.rules.yml"
        var rng = SplitMix(state: Self.seed ^ 0x5255_4C45)
        var problems: [String] = []
        var rejected = 0
        for iteration in 0..<Self.iterations / 2 {
            if iteration % 16 == 15 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let text = Self.mutate(Self.ruleSeeds[iteration % Self.ruleSeeds.count], &rng)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            if case .failure(let errors) = ConfigLoader.loadRuleFile(path: path, validator: Fixtures.validator) {
                rejected += 1
                let found = Self.problems(errors, text: text, file: path)
                if !found.isEmpty { problems.append("\(found.prefix(2)) in \(text.debugDescription.prefix(2000))") }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) bad: \(problems.prefix(3))")
        #expect(rejected > 0)
    }

    @Test("arbitrary duration text never traps and round-trips through format")
    func durations() async {
        var rng = SplitMix(state: Self.seed ^ 0xD0)
        let alphabet = Array("0123456789ywdhms ms-+.eE_ \t9") + ["é", "٣", "１"]
        var parsed = 0
        for iteration in 0..<Self.iterations * 10 {
            if iteration % 256 == 255 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let text: String
            if Bool.random(using: &rng) {
                text = String((0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            } else {
                let unit = ["y", "w", "d", "h", "m", "s", "ms"].randomElement(using: &rng)!
                text = "\(UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng))\(unit)"
            }
            guard let milliseconds = PromDuration.parse(text) else { continue }
            parsed += 1
            #expect(milliseconds >= 0, "\(text)")
            #expect(PromDuration.parse(PromDuration.format(milliseconds)) == milliseconds, "\(text)")
        }
        #expect(parsed > 0)
        for value in [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max] {
            #expect(!PromDuration.format(value).isEmpty)
        }
    }

    @Test("formatting the most negative duration does not trap in abs()")
    func formatMinimumDuration() {
        #expect(PromDuration.format(Int64.min) == "-292471208y35w2d7h12m55s808ms")
        #expect(PromDuration.format(-90_000) == "-1m30s")
    }

    @Test("durations past Prometheus' range (Go nanoseconds, about 292y) are rejected as out of range")
    func durationRange() {
        #expect(PromDuration.parseChecked("9223372036854775807y") == .failure(.outOfRange))
        #expect(PromDuration.parseChecked("99999999999999999999999s") == .failure(.outOfRange))
        #expect(PromDuration.parseChecked("99999999999d") == .failure(.outOfRange))
        #expect(PromDuration.parseChecked("99999999999999999999999x") == .failure(.syntax))
        #expect(PromDuration.parse("9223372036854ms") == 9_223_372_036_854)
        #expect(PromDuration.parse("9223372036855ms") == nil)
        #expect(PromDuration.parse(PromDuration.format(PromDuration.maxMilliseconds)) == PromDuration.maxMilliseconds)
        let result = ConfigLoader.parse(text: "notify:\n  repeat_interval: 99999999999d\n", fileName: "range.yml",
                                        environment: [:])
        guard case .failure(let errors) = result else {
            Issue.record("loaded")
            return
        }
        #expect(errors.description.hasPrefix("range.yml:2:20: notify.repeat_interval: duration \"99999999999d\" is out of range (at most 292y"))
    }

    @Test("arbitrary matcher text never traps")
    func matchers() async {
        var rng = SplitMix(state: Self.seed ^ 0x3A7C)
        let seeds = ["severity=\"critical\"", "service=~\"billing|payments\"", "env!=\"staging\"", "{a!~b}", "x=\"a\\\"b\\\\\""]
        for iteration in 0..<Self.iterations * 5 {
            if iteration % 256 == 255 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let text = Self.byteMutation(seeds.randomElement(using: &rng)!, &rng)
            if case .failure(let error) = MatcherText.parse(text) { #expect(!error.message.isEmpty) }
        }
    }
}
