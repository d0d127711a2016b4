import Testing
@testable import Notify

@Suite struct RecentDeliveriesTests {
    func record(_ n: Int) -> DeliveryRecord {
        DeliveryRecord(time: Int64(n), channel: "c", title: "t\(n)", outcome: .delivered)
    }

    @Test func keepsTheNewestFirstUpToItsCapacity() {
        var recent = RecentDeliveries(capacity: 3)
        #expect(recent.newestFirst.isEmpty)
        recent.add(record(1))
        recent.add(record(2))
        #expect(recent.newestFirst.map(\.time) == [2, 1])
        for n in 3...7 { recent.add(record(n)) }
        #expect(recent.newestFirst.map(\.time) == [7, 6, 5])
    }
}
