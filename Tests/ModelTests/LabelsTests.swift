import Testing
@testable import Model

@Suite struct LabelsTests {
    @Test func sortsAndDeduplicates() {
        let labels = Labels([Label("b", "2"), Label("a", "1"), Label("b", "3"), Label("c", "")])
        #expect(labels.map(\.name) == ["a", "b"])
        #expect(labels["b"] == "3")
        #expect(labels == ["a": "1", "b": "3"])
    }

    /// Names and values of every length the packed writer's copy treats differently (1–3, 4–7,
    /// 8–16, 17–64, above 64 bytes) come back as written.
    @Test func packedCopyKeepsEveryLength() {
        for length in 1...80 {
            let name = String(repeating: "n", count: length), value = String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            let labels = Labels([Label("a" + name, value), Label("b", value), Label("c" + name, "x")])
            #expect(labels.map(\.name) == ["a" + name, "b", "c" + name], "length \(length)")
            #expect(labels.map(\.value) == [value, value, "x"], "length \(length)")
        }
    }

    @Test func prometheusNotation() {
        let labels: Labels = ["__name__": "up", "job": "a\"b", "instance": "x"]
        #expect(labels.description == #"up{instance="x", job="a\"b"}"#)
        #expect(Labels(["__name__": "up"]).description == "up")
    }

    /// "\r\n" is one `Character`; its line feed must still be escaped, or a label value breaks
    /// the exposition format and `lookout status` lines.
    @Test func escapesTheLineFeedOfCRLF() {
        #expect(Labels.escape("a\r\nb") == "a\r\\nb")
        #expect(Labels.escape("\"x\"\\\n") == "\\\"x\\\"\\\\\\n")
        let labels: Labels = ["inject": "a\r\nBcc: x"]
        #expect(!labels.description.utf8.contains(0x0A))
    }

    @Test func settingAndRemoving() {
        let labels: Labels = ["a": "1", "c": "3"]
        #expect(labels.setting("b", to: "2").map(\.name) == ["a", "b", "c"])
        #expect(labels.setting("a", to: "").map(\.name) == ["c"])
        #expect(labels.removing(["a"]) == ["c": "3"])
    }
}

@Suite struct MatcherTests {
    @Test(arguments: [
        ("5..", "500", true), ("5..", "5000", false), ("5..", "x500", false),
        ("api|web", "web", true), ("api|web", "webx", false), ("foo.*", "foobar", true),
        (".*", "", true), (".+", "", false), ("a.c", "abc", true), ("a.c", "a\nc", false), ("5..", "50", false), ("a[0-9]+", "a12", true), ("a[0-9]+", "a12b", false),
    ])
    func regexIsAnchored(pattern: String, value: String, expected: Bool) throws {
        #expect(try Matcher("x", .regexMatch, pattern).matches(value) == expected)
        #expect(try Matcher("x", .regexNoMatch, pattern).matches(value) == !expected)
    }

    @Test func missingLabelIsEmpty() throws {
        let labels: Labels = ["a": "1"]
        #expect(try Matcher("b", .equal, "").matches(labels))
        #expect(try !Matcher("b", .notEqual, "").matches(labels))
    }

    @Test func badRegexThrows() {
        #expect(throws: MatcherError.self) { try Matcher("x", .regexMatch, "(") }
    }
}

@Suite struct DurationTests {
    @Test(arguments: [("500ms", 500), ("15s", 15_000), ("1h30m", 5_400_000), ("1d", 86_400_000), ("1w", 604_800_000), ("0", 0)] as [(String, Int64)])
    func parses(text: String, millis: Int64) {
        #expect(PromDuration.parse(text) == millis)
    }

    @Test(arguments: ["", "5", "1m1h", "1x", "-5s", "1.5s", "s"])
    func rejects(text: String) {
        #expect(PromDuration.parse(text) == nil)
    }

    @Test func formats() {
        #expect(PromDuration.format(5_400_000) == "1h30m")
        #expect(PromDuration.format(500) == "500ms")
        #expect(PromDuration.format(0) == "0s")
    }

    /// What /api/v1/targets reports as a target's interval and timeout (500ms, not 0s).
    @Test func durationsKeepTheirSubSecondPart() {
        #expect(PromDuration.milliseconds(.milliseconds(500)) == 500)
        #expect(PromDuration.milliseconds(.seconds(15)) == 15_000)
        #expect(PromDuration.milliseconds(.milliseconds(1_250)) == 1_250)
        #expect(PromDuration.seconds(.milliseconds(1_250)) == 1.25)
        #expect(PromDuration.seconds(.microseconds(3)) == 0.000003)
        #expect(PromDuration.seconds(.seconds(-2)) == -2)
    }

    @Test func staleMarkerRoundTrips() {
        let sample = Sample(1, StaleMarker.value)
        #expect(sample.isStale)
        #expect(!Sample(1, .nan).isStale)
        #expect(sample == Sample(1, StaleMarker.value))
    }
}

@Suite struct ValueFormatTests {
    @Test(arguments: [
        (1.0, "1"), (0.5, "0.5"), (1e-05, "0.00001"), (1.5e+20, "150000000000000000000"), (-2.25e-3, "-0.00225"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (1.6749999999999994, "1.6749999999999994"),
        (123456.789, "123456.789"), (0.0, "0"),
    ])
    func formatsLikeGo(value: Double, expected: String) {
        #expect(ValueFormat.value(value) == expected)
    }

    @Test func secondsWithFraction() {
        #expect(ValueFormat.seconds(1_700_000_000_500) == "1700000000.5")
        #expect(ValueFormat.seconds(1_700_000_000_000) == "1700000000")
        #expect(ValueFormat.seconds(1_700_000_000_007) == "1700000000.007")
    }
}
