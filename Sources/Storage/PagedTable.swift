/// A table by series id whose memory follows the ids in use, not the ids ever handed out.
///
/// Series ids only grow and are never reused, so a dense array indexed by id keeps a slot for
/// every series ever created. Here ids are split into pages of `pageSize` entries: a page is
/// allocated when its first id is stored and freed when its last one is removed. Under label
/// churn the pruned series leave whole dead pages at low ids, which are given back. What stays
/// per id ever created is the page directory: one optional page (16 bytes) per `pageSize` ids.
///
/// Lookups are two array reads (directory, then page). A page with one live id costs as much as
/// a full one, so ids that outlive most of their page's neighbours keep it allocated.
struct PagedTable<Element> {
    /// log2 of `pageSize`.
    static var pageShift: Int { 10 }
    /// Ids per page.
    static var pageSize: Int { 1 << pageShift }

    /// The slots of one page and how many of them hold an element.
    fileprivate struct Page {
        var slots: [Element?]
        var live: Int
    }

    /// Pages by `id >> pageShift`; nil where no id of the page is stored.
    private var pages: [Page?] = []
    /// Elements stored.
    private(set) var count = 0
    /// Pages allocated (for tests and figures).
    private(set) var allocatedPages = 0

    /// The element stored for `id`, if any. Setting nil removes it, freeing its page if it was
    /// the page's last.
    subscript(id: UInt32) -> Element? {
        @inline(__always) get {
            let page = Int(id &>> Self.pageShift)
            guard page < pages.count, pages[page] != nil else { return nil }
            return pages[page]!.slots[Int(id) & (Self.pageSize - 1)]
        }
        set {
            if let newValue { store(id, newValue) } else { remove(id) }
        }
    }

    /// Runs `body` on the element of `id`, storing `initial()` first if there is none.
    @inline(__always)
    mutating func update<R>(_ id: UInt32, default initial: @autoclosure () -> Element, _ body: (inout Element) -> R) -> R {
        let page = Int(id &>> Self.pageShift), slot = Int(id) & (Self.pageSize - 1)
        // One access to the page, mutated in place (an optional chain would copy the element).
        if page < pages.count, pages[page] != nil {
            if pages[page]!.slots[slot] == nil {
                pages[page]!.slots[slot] = initial()
                pages[page]!.live += 1
                count += 1
            }
            return body(&pages[page]!.slots[slot]!)
        }
        store(id, initial())
        return body(&pages[page]!.slots[slot]!)
    }

    /// Stores `value` for `id`, allocating its page if needed.
    private mutating func store(_ id: UInt32, _ value: Element) {
        let page = Int(id &>> Self.pageShift), slot = Int(id) & (Self.pageSize - 1)
        if page >= pages.count { pages.append(contentsOf: repeatElement(nil, count: page + 1 - pages.count)) }
        if pages[page] == nil {
            pages[page] = Page(slots: Array(repeating: nil, count: Self.pageSize), live: 0)
            allocatedPages += 1
        }
        if pages[page]!.slots[slot] == nil {
            pages[page]!.live += 1
            count += 1
        }
        pages[page]!.slots[slot] = value
    }

    /// Removes the element of `id` and returns it; frees the page if it held the page's last.
    @discardableResult
    mutating func remove(_ id: UInt32) -> Element? {
        let page = Int(id &>> Self.pageShift), slot = Int(id) & (Self.pageSize - 1)
        guard page < pages.count, pages[page] != nil, let old = pages[page]!.slots[slot] else { return nil }
        count -= 1
        if pages[page]!.live == 1 {
            pages[page] = nil
            allocatedPages -= 1
            // Trailing empty pages go too, so the directory ends at the highest id stored.
            while pages.last.map({ $0 == nil }) == true { pages.removeLast() }
        } else {
            pages[page]!.live -= 1
            pages[page]!.slots[slot] = nil
        }
        return old
    }

    /// Calls `body` with each id and element, ids ascending.
    func forEach(_ body: (UInt32, Element) throws -> Void) rethrows {
        for (index, page) in pages.enumerated() {
            guard let page else { continue }
            let base = index << Self.pageShift
            for (slot, element) in page.slots.enumerated() {
                if let element { try body(UInt32(base + slot), element) }
            }
        }
    }

    /// The ids stored, ascending.
    var ids: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        forEach { id, _ in out.append(id) }
        return out
    }
}

extension PagedTable: Sendable where Element: Sendable {}
extension PagedTable.Page: Sendable where Element: Sendable {}
