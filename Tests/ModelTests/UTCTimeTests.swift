import Foundation
import Model
import Testing

/// `UTCTime` against Foundation's Gregorian calendar in UTC, and the RFC 3339 spellings.
struct UTCTimeTests {
    @Test func fieldsMatchFoundationAcrossCenturies() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        // 1601 to 2400: leap centuries, the epoch, negative timestamps; 2,000 draws.
        let range: ClosedRange<Int64> = -11_644_473_600_000...13_569_465_600_000
        for timestamp in [0, -1, 951_782_400_000, 4_107_542_399_999] + (0..<2000).map({ _ in Int64.random(in: range, using: &generator) }) {
            let time = UTCTime(timestamp)
            let date = Date(timeIntervalSince1970: Double(timestamp.floorDividedBy1000))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            #expect([time.year, time.month, time.day, time.hour, time.minute, time.second, time.weekday + 1]
                    == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, parts.weekday], "\(timestamp)")
            #expect(time.millisecond == Int(((timestamp % 1000) + 1000) % 1000))
            #expect(UTCTime.days(year: time.year, month: time.month, day: time.day) == time.daysSinceEpoch)
        }
    }

    @Test func rfc3339Spellings() {
        #expect(UTCTime(1_795_452_295_120).rfc3339 == "2026-11-23T16:44:55.12Z")
        #expect(UTCTime(1_795_452_295_000).rfc3339 == "2026-11-23T16:44:55Z")
        #expect(UTCTime(1_795_452_295_000).rfc3339Milliseconds == "2026-11-23T16:44:55.000Z")
        #expect(UTCTime(-1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(UTCTime(951_782_400_000).rfc3339 == "2000-02-29T00:00:00Z")
    }

    @Test func weekdayCountsFromSunday() {
        #expect(UTCTime(unixSeconds: 0).weekday == 4)            // Thursday, 1970-01-01
        #expect(UTCTime(unixSeconds: 3 * 86_400).weekday == 0)   // Sunday, 1970-01-04
        #expect(UTCTime(unixSeconds: -86_400).weekday == 3)      // Wednesday, 1969-12-31
    }
}

private extension Int64 {
    /// Whole seconds, rounded down, so Foundation sees the same second as `UTCTime`.
    var floorDividedBy1000: Int64 { self >= 0 ? self / 1000 : -((-self + 999) / 1000) }
}

/// `UTCTime.parseRFC3339`: the inverse of the spellings above, with offsets and any fraction.
struct RFC3339ParseTests {
    @Test func parsesWhatTheFormattersWrite() {
        for timestamp: Timestamp in [0, -1, 951_782_400_000, 1_795_452_295_120, 1_795_452_295_000] {
            #expect(UTCTime.parseRFC3339(UTCTime(timestamp).rfc3339) == timestamp)
            #expect(UTCTime.parseRFC3339(UTCTime(timestamp).rfc3339Milliseconds) == timestamp)
        }
    }

    @Test func offsetsFractionsAndCase() {
        #expect(UTCTime.parseRFC3339("2026-11-23T17:44:55.12+01:00") == 1_795_452_295_120)
        #expect(UTCTime.parseRFC3339("2026-11-23T11:14:55-05:30") == 1_795_452_295_000)
        #expect(UTCTime.parseRFC3339("2026-11-23t16:44:55.123456789z") == 1_795_452_295_123)
    }

    @Test(arguments: ["", "now", "2026-11-23", "2026-11-23T16:44:55", "2026-13-01T00:00:00Z",
                      "2026-11-23T16:44:55.Z", "2026-11-23T16:44:55+0100", "2026-11-23T16:44:55Zjunk"])
    func rejectsMalformedText(_ text: String) {
        #expect(UTCTime.parseRFC3339(text) == nil)
    }
}
