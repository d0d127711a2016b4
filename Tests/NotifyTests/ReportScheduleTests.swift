import Foundation
import Model
import Testing
@testable import Notify

/// `2026-03-29T01:00:00Z` → ms.
func utc(_ text: String) -> Timestamp {
    Timestamp(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970 * 1000)
}

let berlin = TimeZone(identifier: "Europe/Berlin")!

@Suite struct ReportScheduleTests {
    func decide(_ at: String, hour: Int = 8, minute: Int = 0, last: String? = nil, zone: TimeZone = berlin) -> ReportSchedule.Decision {
        ReportSchedule.decide(hour: hour, minute: minute, timeZone: zone, lastSentDay: last, now: utc(at))
    }

    @Test func waitsUntilTheLocalTimeThenSendsOncePerDay() {
        // 08:00 in Berlin in November is 07:00Z.
        #expect(decide("2026-11-23T06:59:59Z") == .wait(until: utc("2026-11-23T07:00:00Z")))
        #expect(decide("2026-11-23T07:00:00Z") == .send(day: "2026-11-23"))
        #expect(decide("2026-11-23T07:00:00Z", last: "2026-11-23") == .wait(until: utc("2026-11-24T07:00:00Z")))
        #expect(decide("2026-11-24T07:00:00Z", last: "2026-11-23") == .send(day: "2026-11-24"))
    }

    @Test func catchesUpLaterTheSameLocalDayButNotTheNextDay() {
        // Down at 08:00, started at 15:00: send now.
        #expect(decide("2026-11-23T14:00:00Z", last: "2026-11-22") == .send(day: "2026-11-23"))
        // Started at 23:30 local (22:30Z): still the same local day.
        #expect(decide("2026-11-23T22:30:00Z", last: "2026-11-22") == .send(day: "2026-11-23"))
        // Started at 00:30 local the next day: yesterday's report is not sent late; today's waits for 08:00.
        #expect(decide("2026-11-23T23:30:00Z", last: "2026-11-22") == .wait(until: utc("2026-11-24T07:00:00Z")))
    }

    @Test func localDayFollowsTheZoneNotUTC() {
        // 00:30 on the 24th in Berlin is still the 23rd in UTC.
        #expect(ReportSchedule.day(of: utc("2026-11-23T23:30:00Z"), in: berlin) == "2026-11-24")
        #expect(decide("2026-11-23T23:30:00Z", hour: 0, minute: 15, last: "2026-11-23") == .send(day: "2026-11-24"))
    }

    @Test func springForwardKeepsLocalTimeAndSkippedTimeFiresAtTheNextValidInstant() {
        // 29 March 2026: Berlin goes from 02:00 CET to 03:00 CEST (01:00Z).
        #expect(decide("2026-03-28T12:00:00Z", last: "2026-03-28") == .wait(until: utc("2026-03-29T06:00:00Z")))
        #expect(decide("2026-03-29T05:59:00Z", last: "2026-03-28") == .wait(until: utc("2026-03-29T06:00:00Z")))
        // 02:30 does not exist that night: it fires at 03:00 CEST.
        #expect(decide("2026-03-28T23:30:00Z", hour: 2, minute: 30, last: "2026-03-28") == .wait(until: utc("2026-03-29T01:00:00Z")))
        #expect(decide("2026-03-29T01:00:00Z", hour: 2, minute: 30, last: "2026-03-28") == .send(day: "2026-03-29"))
        // The day before and after, 02:30 is an ordinary time.
        #expect(decide("2026-03-28T00:00:00Z", hour: 2, minute: 30, last: "2026-03-27") == .wait(until: utc("2026-03-28T01:30:00Z")))
        #expect(decide("2026-03-29T02:00:00Z", hour: 2, minute: 30, last: "2026-03-29") == .wait(until: utc("2026-03-30T00:30:00Z")))
    }

    @Test func fallBackFiresAtTheFirstOccurrenceAndOnlyOnce() {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00Z); 02:30 happens at 00:30Z and at 01:30Z.
        #expect(decide("2026-10-24T23:00:00Z", hour: 2, minute: 30, last: "2026-10-24") == .wait(until: utc("2026-10-25T00:30:00Z")))
        #expect(decide("2026-10-25T00:30:00Z", hour: 2, minute: 30, last: "2026-10-24") == .send(day: "2026-10-25"))
        // The second 02:30 finds the day sent.
        #expect(decide("2026-10-25T01:30:00Z", hour: 2, minute: 30, last: "2026-10-25") == .wait(until: utc("2026-10-26T01:30:00Z")))
        // 08:00 after the change is 07:00Z.
        #expect(decide("2026-10-25T06:59:00Z", last: "2026-10-24") == .wait(until: utc("2026-10-25T07:00:00Z")))
    }

    @Test func clockGoingBackDoesNotResend() {
        #expect(decide("2026-11-23T07:30:00Z", last: "2026-11-24") == .wait(until: utc("2026-11-24T07:00:00Z")))
    }

    @Test func midnightsStepBackOverDSTByCalendarDays() {
        let t = utc("2026-03-30T10:00:00Z")
        #expect(ReportSchedule.midnight(of: t, daysBack: 0, in: berlin) == utc("2026-03-29T22:00:00Z"))
        #expect(ReportSchedule.midnight(of: t, daysBack: 1, in: berlin) == utc("2026-03-28T23:00:00Z"))
        #expect(ReportSchedule.midnight(of: t, daysBack: 2, in: berlin) == utc("2026-03-27T23:00:00Z"))
    }
}
