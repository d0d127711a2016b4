import Model
import Testing

/// `goQuoted` against what Go's `strconv.Quote` returns for the same strings.
struct GoQuoteTests {
    @Test func plainTextIsOnlyQuoted() {
        #expect(goQuoted("") == "\"\"")
        #expect(goQuoted("rate(http_requests_total[5m])") == "\"rate(http_requests_total[5m])\"")
        #expect(goQuoted("Grüße, 日本") == "\"Grüße, 日本\"")
    }

    @Test func quotesAndBackslashesAreEscaped() {
        #expect(goQuoted(#"say "hi" \ bye"#) == #""say \"hi\" \\ bye""#)
    }

    @Test func controlCharactersUseGoEscapes() {
        #expect(goQuoted("a\u{07}\u{08}\u{0C}\n\r\t\u{0B}b") == #""a\a\b\f\n\r\t\vb""#)
        #expect(goQuoted("\u{00}\u{1B}\u{7F}") == #""\x00\x1b\x7f""#)
    }

    @Test func invisibleUnicodeSeparatorsAreEscaped() {
        #expect(goQuoted("a\u{85}b\u{2028}c\u{2029}") == #""a\u0085b\u2028c\u2029""#)
    }
}
