import Foundation
import Model
import SQLite
import Storage
import Testing
import TestSupport
@testable import Notify

@Suite struct SilenceManagerTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    @Test func addListExpireOnTheDatabaseFile() throws {
        let path = dir.file("lookout.db")
        let manager = try SilenceManager(databasePath: path)
        let s = try manager.add(matchers: ["job=api", #"severity=~"warning|info""#, "env!=staging"], duration: 2 * 3_600_000,
                                comment: "deploy", createdBy: "alice", now: 1000)
        #expect(UUID(uuidString: s.id) != nil)
        // A second connection (another process, e.g. the daemon) sees it, with its matchers intact.
        let other = try SilenceManager(databasePath: path)
        let listed = try other.list()
        #expect(listed == [s])
        #expect(listed[0].matchers.map(\.description) == [#"job="api""#, #"severity=~"warning|info""#, #"env!="staging""#])
        #expect(SilenceMuter(silences: listed, now: 2000).mutes(["job": "api", "severity": "info"]))
        #expect(try other.expire(id: s.id, now: 5000))
        #expect(try !other.expire(id: s.id, now: 6000))
        #expect(try manager.list()[0].state(at: 5000) == .expired)
    }

    @Test(arguments: [[String](), ["job=~.*"], ["job!=api", "x="]])
    func refusesSilencesThatMatchEverythingOrNothing(matchers: [String]) throws {
        let manager = try SilenceManager(databasePath: dir.file("lookout.db"))
        #expect(throws: SilenceManager.InvalidSilence.self) {
            try manager.add(matchers: matchers, duration: 1000, comment: "", createdBy: "", now: 0)
        }
    }

    @Test func alertmanagerV2ShapeRoundTrips() throws {
        let post = #"""
        {"matchers":[{"name":"alertname","value":"Disk.*","isRegex":true,"isEqual":true},{"name":"env","value":"dev","isRegex":false,"isEqual":false}],
         "startsAt":"2026-11-23T10:00:00Z","endsAt":"2026-11-23T12:00:00.500Z","createdBy":"bob","comment":"maintenance"}
        """#
        let silence = try SilenceAPI.decodePost(Array(post.utf8))
        #expect(silence.matchers.map(\.description) == [#"alertname=~"Disk.*""#, #"env!="dev""#])
        #expect(silence.endsAt - silence.startsAt == 7_200_500)
        let manager = try SilenceManager(databasePath: dir.file("lookout.db"))
        let saved = try manager.add(silence, now: silence.startsAt)
        let json = try JSONSerialization.jsonObject(with: Data(SilenceAPI.encode([saved], now: silence.startsAt + 1))) as! [[String: Any]]
        #expect(json[0]["id"] as? String == saved.id)
        #expect((json[0]["status"] as! [String: String])["state"] == "active")
        #expect(json[0]["endsAt"] as? String == "2026-11-23T12:00:00.500Z")
        let matchers = json[0]["matchers"] as! [[String: Any]]
        #expect(matchers[1]["isEqual"] as? Bool == false && matchers[0]["isRegex"] as? Bool == true)
    }
}

@Suite struct NotificationLogStoreTests {
    @Test func entriesSurviveReopenAndPrune() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("n.db")
        do {
            let store = try NotificationLogStore(try SQLite.Connection(path: path))
            try store.upsert(NotificationLogRecord(channel: "c", groupKey: "g", firing: [1, 0xffff_ffff_ffff_ffff], resolved: [], sentAt: 10))
            try store.upsert(NotificationLogRecord(channel: "c", groupKey: "g", firing: [2], resolved: [1], sentAt: 20))
            try store.upsert(NotificationLogRecord(channel: "c", groupKey: "old", firing: [3], resolved: [], sentAt: 5))
        }
        let store = try NotificationLogStore(try SQLite.Connection(path: path))
        try store.prune(before: 10)
        #expect(try store.all() == [NotificationLogRecord(channel: "c", groupKey: "g", firing: [2], resolved: [1], sentAt: 20)])
    }
}
