import Model
import Testing
@testable import Server

@Suite("Formats")
struct FormatTests {
    @Test("sample values as Prometheus writes them", arguments: [
        (1.0, "1"), (0.0, "0"), (-2.5, "-2.5"), (0.1, "0.1"), (1e-6, "0.000001"), (1e-7, "1e-07"),
        (123_456_789.0, "123456789"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (0.1 + 0.2, "0.30000000000000004"),
        (1700000000.123, "1700000000.123"), (-0.0, "-0"),
    ])
    func sampleValue(value: Double, text: String) {
        #expect(GoFloat.sampleValue(value) == text)
    }

    @Test("'e' and 'g' formats", arguments: [
        (0.0, "0e+00", "0"), (1.0, "1e+00", "1"), (0.8312, "8.312e-01", "0.8312"), (1234567.0, "1.234567e+06", "1.234567e+06"),
        (123456.0, "1.23456e+05", "123456"), (0.0001, "1e-04", "0.0001"), (0.00001, "1e-05", "1e-05"),
    ])
    func exponentForms(value: Double, e: String, g: String) {
        #expect(GoFloat.format(value, exponent: true) == e)
        #expect(GoFloat.general(value) == g)
    }

    @Test("timestamps", arguments: [
        (Int64(1_700_000_000_000), "1700000000", "2023-11-14T22:13:20Z"),
        (Int64(1_700_000_000_500), "1700000000.500", "2023-11-14T22:13:20.5Z"),
        (Int64(1_700_000_000_007), "1700000000.007", "2023-11-14T22:13:20.007Z"),
        (Int64(0), "0", "1970-01-01T00:00:00Z"),
        (Int64(-1500), "-1.500", "1969-12-31T23:59:58.5Z"),
        (Int64(951_782_400_000), "951782400", "2000-02-29T00:00:00Z"),
        (Int64(-62_135_596_800_000), "-62135596800", "0001-01-01T00:00:00Z"),
    ])
    func timestamps(ms: Int64, unix: String, rfc: String) {
        #expect(TimeFormat.unixSeconds(ms) == unix)
        #expect(UTCTime(ms).rfc3339 == rfc)
        #expect(UTCTime.parseRFC3339(rfc) == ms)
    }

    @Test("time and duration parameters")
    func parameters() throws {
        #expect(try PromParams.time("1700000000.5") == 1_700_000_000_500)
        #expect(try PromParams.time("2023-11-14T23:13:20.123456789+01:00") == 1_700_000_000_123)
        #expect(try PromParams.time("-292273086-05-16T16:47:06Z") == PromParams.minTime)
        #expect(throws: APIError.self) { try PromParams.time("2023-13-01T00:00:00Z") }
        #expect(throws: APIError.self) { try PromParams.time("1e400") }
        #expect(try PromParams.time("-9223309901257974") == PromParams.minTime)
        #expect(try PromParams.time("9223309901257974.999") == PromParams.maxTime)
        #expect(try PromParams.duration("15s") == 15_000)
        #expect(try PromParams.duration("1h30m") == 5_400_000)
        #expect(try PromParams.duration("0.25") == 250)
        #expect(throws: APIError.self) { try PromParams.duration("15 s") }
    }

    @Test("selectors for match[]")
    func selectors() throws {
        let matchers = try SelectorParser.parse(#"http_requests_total{job="api", status=~"5..",path!~'/health.*',  x!=`a\b`}"#)
        #expect(matchers.map(\.description) == [#"__name__="http_requests_total""#, #"job="api""#, #"status=~"5..""#,
                                                #"path!~"/health.*""#, #"x!="a\\b""#])
        #expect(try SelectorParser.parse("{__name__=\"up\",}").count == 1)
        #expect(throws: (any Error).self) { try SelectorParser.parse("up{job=\"api\"") }
        #expect(throws: (any Error).self) { try SelectorParser.parse("up + 1") }
        #expect(throws: (any Error).self) { try SelectorParser.parse("{a=~\"(\"}") }
    }

    @Test("Alertmanager filter matchers")
    func filters() {
        #expect(SilencesAPI.parseFilter(#"alertname="ApiDown""#)?.description == #"alertname="ApiDown""#)
        #expect(SilencesAPI.parseFilter("job=~api.*")?.description == #"job=~"api.*""#)
        #expect(SilencesAPI.parseFilter("env != staging")?.description == #"env!="staging""#)
        #expect(SilencesAPI.parseFilter("alertname") == nil)
        #expect(SilencesAPI.parseFilter("1x=y") == nil)
    }

    @Test("form decoding")
    func forms() throws {
        let form = try FormValues(urlEncoded: "match%5B%5D=up&match[]=a+b&x=%E2%9C%93&empty&=v")
        #expect(form.all("match[]") == ["up", "a b"])
        #expect(form["x"] == "✓")
        #expect(form["empty"] == "")
        #expect(throws: APIError.self) { try FormValues(urlEncoded: "a=%2") }
    }

    @Test("JSON strings are escaped as Go escapes them")
    func jsonEscaping() {
        var json = JSONWriter()
        json.string("a\"b\\c\n<&>\u{01}\u{2028}é")
        #expect(json.text == #""a\"b\\c\n\u003c\u0026\u003e\u0001\u2028é""#)
    }

    @Test("metrics text format")
    func metricsText() {
        var text = MetricsText()
        text.family("x_seconds", .histogram, help: "Line\\one\nline two")
        text.sample("x_seconds_bucket", ["le": "+Inf"], 3)
        text.sample("x_seconds_sum", Labels(), 1234567.5)
        text.sample("x_seconds_count", Labels(), .nan)
        #expect(text.text == "# HELP x_seconds Line\\\\one\\nline two\n# TYPE x_seconds histogram\nx_seconds_bucket{le=\"+Inf\"} 3\nx_seconds_sum 1.2345675e+06\nx_seconds_count NaN\n")
    }
}

@Suite("Status page formats")
struct StatusFormatTests {
    @Test("ages, latencies and percentages")
    func humanFormats() {
        #expect(HTML.age(45_000) == "45s")
        #expect(HTML.age(720_000) == "12m")
        #expect(HTML.age(7_200_000) == "2h")
        #expect(HTML.age(11_100_000) == "3h 5m")
        #expect(HTML.age(86_400_000) == "1d")
        #expect(HTML.age(187_200_000) == "2d 4h")
        #expect(HTML.latency(0.0854) == "85 ms")
        #expect(HTML.latency(1.2449) == "1.24 s")
        #expect(HTML.percent(0.99688) == "99.69%")
        #expect(HTML.percent(0.5) == "50%")
        #expect(HTML.percent(1) == "100%")
        #expect(HTML.pathSegment("a b/<c>") == "a%20b%2F%3Cc%3E")
    }
}
