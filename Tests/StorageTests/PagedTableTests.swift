import Testing
@testable import Storage

/// `PagedTable` allocates a page on its first id and frees it with its last.
@Suite struct PagedTableTests {
    let size = UInt32(PagedTable<Int>.pageSize)

    @Test func pagesFollowTheStoredIDs() {
        var table = PagedTable<Int>()
        #expect(table[0] == nil && table[.max] == nil)
        for id in [1, 2, size + 3, 5 * size] { table[id] = Int(id) }
        #expect(table.count == 4)
        #expect(table.allocatedPages == 3)
        #expect(table[size + 3] == Int(size + 3))
        #expect(table[size + 4] == nil)
        #expect(table.ids == [1, 2, size + 3, 5 * size])
        table[1] = nil
        #expect(table.allocatedPages == 3)   // id 2 still holds page 0
        #expect(table.remove(2) == 2)
        #expect(table.remove(2) == nil)
        #expect(table.allocatedPages == 2)
        table[5 * size] = nil
        table[size + 3] = nil
        #expect(table.allocatedPages == 0)
        #expect(table.count == 0)
        #expect(table.ids.isEmpty)
        table[7] = 7   // a freed page comes back on use
        #expect(table[7] == 7 && table.allocatedPages == 1)
    }

    @Test func updateStoresADefaultThenMutatesInPlace() {
        var table = PagedTable<[Int]>()
        for i in 0..<3 { table.update(9, default: []) { $0.append(i) } }
        #expect(table[9] == [0, 1, 2])
        #expect(table.count == 1)
        var seen: [(UInt32, [Int])] = []
        table.forEach { seen.append(($0, $1)) }
        #expect(seen.map(\.0) == [9])
    }

    /// Ids handed out in increasing order and pruned oldest first (label churn): the pages left
    /// are those of the live window only.
    @Test func churnLeavesOnlyTheLiveWindowsPages() {
        var table = PagedTable<UInt32>()
        let window = 3 * size
        for id in 1...(20 * size) {
            table[id] = id
            if id > window { table.remove(id - window) }
        }
        #expect(table.count == Int(window))
        #expect(table.allocatedPages <= 4)
    }
}
