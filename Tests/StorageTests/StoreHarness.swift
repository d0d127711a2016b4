import Testing
import Model
@testable import Storage

/// The implementations the conformance suite runs on.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case memory
    /// TSDB with everything left in the head.
    case tsdbHead
    /// TSDB compacted into chunks at every `settle()`.
    case tsdbChunks
    /// TSDB compacted, closed and reopened at every `settle()`.
    case tsdbReopened

    var testDescription: String { rawValue }
}

/// One store under test; `settle()` moves what was appended so far to where it would be
/// later in life (chunks, a fresh process).
final class StoreHarness {
    let kind: StoreKind
    let dir = TempDirectory()
    private(set) var store: any SeriesAppender & SeriesQuerier
    var tsdb: TSDB? { store as? TSDB }

    init(_ kind: StoreKind, options: TSDB.Options = TSDB.Options()) throws {
        self.kind = kind
        switch kind {
        case .memory: store = MemorySeriesStore()
        default: store = try TSDB.open(path: dir.file("lookout.db"), options: options)
        }
    }

    func settle() throws {
        guard let tsdb else { return }
        switch kind {
        case .memory, .tsdbHead: return
        case .tsdbChunks: try tsdb.compact(now: Int64.max / 2)
        case .tsdbReopened:
            try tsdb.compact(now: Int64.max / 2)
            tsdb.close()
            store = try TSDB.open(path: dir.file("lookout.db"))
        }
    }

    func append(_ batch: [LabeledSample]) throws { try store.append(batch) }

    func select(_ matchers: [Matcher], _ range: ClosedRange<Timestamp> = Timestamp.min...Timestamp.max) throws -> [Series] {
        try store.select(matchers, in: range)
    }
}

func m(_ name: String, _ kind: Matcher.Kind, _ value: String) -> Matcher {
    try! Matcher(name, kind, value)
}

func ls(_ name: String, _ labels: [String: String] = [:]) -> Labels {
    Labels(labels).setting(Labels.metricName, to: name)
}
