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

@Suite struct OutboxStoreTests {
    @Test func queueOrderRescheduleDeleteAndStatsSurviveReopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("o.db")
        do {
            let store = try OutboxStore(try SQLite.Connection(path: path))
            let a = try store.enqueue(channel: "slack", groupKey: "g1", payload: [1], createdAt: 100)
            try store.enqueue(channel: "slack", groupKey: "g2", payload: [2], createdAt: 200)
            try store.enqueue(channel: "pager", groupKey: "g1", payload: [3], createdAt: 150)
            try store.reschedule(id: a, attempts: 1, nextAttemptAt: 5000, lastError: "HTTP 500")
        }
        let store = try OutboxStore(try SQLite.Connection(path: path))
        let slack = try store.pending(channel: "slack", limit: 10)
        #expect(slack.map(\.groupKey) == ["g1", "g2"])
        #expect(slack[0].attempts == 1 && slack[0].nextAttemptAt == 5000 && slack[0].lastError == "HTTP 500")
        #expect(try store.payload(id: slack[1].id) == [2])
        let stats = try store.stats()
        #expect(stats.map(\.channel) == ["pager", "slack"])
        #expect(stats.map(\.count) == [1, 2] && stats.map(\.oldestCreatedAt) == [150, 100])
        try store.delete(id: slack[0].id)
        #expect(try store.count() == 2)
        #expect(try store.payload(id: slack[0].id) == nil)
    }
}
