import Model
import Testing
import TestSupport
@testable import Server

/// Random and mutated API parameters (`time`, `start`/`end`, `step`, `timeout`, `match[]`): the
/// parsers must return a value or throw, never trap.
@Suite("API parameter fuzzing")
struct ParamFuzzTests {
    static let timeSeeds = [
        "1700000000.5", "0", "-1", "1e12", "-1e12", "9223309901257974", "-9223309901257974", "9.3e15", "1e400", "NaN",
        "Inf", "-Inf", "0x1p62", "2023-11-14T23:13:20.123456789+01:00", "-292273086-05-16T16:47:06Z",
        "292277025-08-17T07:12:55.807Z", "9999-12-31T23:59:60Z", "0000-01-01T00:00:00-23:59", "1.0005", "-0.0005",
        "9223372036854775807", "-9223372036854775808", "5m", "1h30m", "292y", "99999999999999h", "1ms", ".5", "1e-400",
    ]
    static let selectorSeeds = [
        "up", "up{job=\"api\"}", "{__name__=~\"node_.*\",cpu!=\"0\"}", "a:b:c{x!~'y'}", "{x=`raw\\n`}", "{a=\"\\\"\\\\\\n\"}",
        "{a=~\"(\"}", "{a=\"\"}", "é{a=\"b\"}", "{ a = \"b\" , }",
    ]

    static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
        var scalars = Array(text.unicodeScalars)
        let inserts: [Unicode.Scalar] = ["{", "}", "\"", "'", "`", "\\", "=", "~", "!", ",", "e", "-", "+", ".", "9", ":", "T", "Z",
                                         "é", "😀", "\u{0}", " "]
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !scalars.isEmpty {
            let index = Int.random(in: 0..<scalars.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: scalars.removeSubrange(index...)
            case 1: scalars.insert(inserts.randomElement(using: &rng)!, at: index)
            case 2: scalars.remove(at: index)
            default: scalars.insert(contentsOf: scalars[index...].prefix(8), at: index)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    @Test("times and durations parse or throw")
    func timesAndDurations() {
        var rng = SplitMix(state: 0x7173)
        var parsed = 0
        for i in 0..<20_000 {
            let text = Self.mutate(Self.timeSeeds[i % Self.timeSeeds.count], &rng)
            if let time = try? PromParams.time(text) {
                parsed += 1
                #expect(time >= PromParams.minTime && time <= PromParams.maxTime, "\(text.debugDescription) → \(time)")
            }
            _ = try? PromParams.duration(text)
        }
        #expect(parsed > 1000)
    }

    @Test("match[] selectors parse or throw a positioned error")
    func selectors() {
        var rng = SplitMix(state: 0x5E1E)
        for i in 0..<20_000 {
            let text = Self.mutate(Self.selectorSeeds[i % Self.selectorSeeds.count], &rng)
            do {
                _ = try SelectorParser.parse(text)
            } catch let error as SelectorParser.ParseError {
                #expect(error.column >= 1 && error.column <= text.unicodeScalars.count + 1, "\(text.debugDescription): \(error)")
            } catch {
                // Matcher errors (bad regex) carry their own message.
                #expect(!"\(error)".isEmpty)
            }
        }
    }
}
