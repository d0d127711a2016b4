import Model
import SQLite

/// Reads one `sql:` source: each row → a sample of series `<name>`, the `value` column as its
/// value and the other columns as labels, plus `sql_up{source=<name>}`.
struct SQLSource: Sendable {
    let spec: SQLSourceSpec

    /// The round's batch and, when the query failed, why. Never throws: a missing file, a locked
    /// database or a bad query all give `sql_up` 0.
    func collect(at timestamp: Timestamp) -> (batch: [LabeledSample], error: String?) {
        var batch: [LabeledSample] = []
        var failure: String?
        do {
            batch = try rows(at: timestamp)
        } catch let error as SQLiteError where error.extendedCode == Self.readOnlyCannotInit {
            // SQLite's own text, "attempt to write a readonly database", reads as if Lookout wrote.
            failure = "cannot read \(spec.database): it is a WAL database whose -shm file is missing "
                + "(no application connection is open) and its directory is not writable by Lookout, "
                + "so SQLite cannot create it (\(error))"
            batch = []
        } catch {
            failure = "\(error)"
            batch = []
        }
        let up = Labels(sortedUnique: [Label(Labels.metricName, "sql_up"), Label("source", spec.name)])
        batch.append(LabeledSample(up, Sample(timestamp, failure == nil ? 1 : 0)))
        return (batch, failure)
    }

    /// `SQLITE_READONLY_CANTINIT`: a read-only connection could not create a WAL database's `-shm`.
    static let readOnlyCannotInit: Int32 = 1544

    private func rows(at timestamp: Timestamp) throws -> [LabeledSample] {
        var options = Connection.Options.readOnly
        options.busyTimeoutMilliseconds = Int32(PromDuration.milliseconds(spec.busyTimeout))
        options.cacheSizeKiB = nil
        let connection = try Connection(path: spec.database, options: options)
        defer { connection.close() }
        let statement = try connection.prepare(spec.query)
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        guard let valueColumn = columns.firstIndex(of: "value") else {
            throw SQLSourceError(message: "query has no column named value (columns: \(columns.joined(separator: ", ")))")
        }
        var samples: [LabeledSample] = []
        var seen = Set<Labels>()
        while try statement.step() {
            var labels = [Label(Labels.metricName, spec.name)]
            for (index, column) in columns.enumerated() where index != valueColumn {
                let text = statement.isNull(at: Int32(index)) ? "" : statement.string(at: Int32(index))
                labels.append(Label(column, text))
            }
            let set = Labels(labels)
            guard seen.insert(set).inserted else {
                throw SQLSourceError(message: "two rows have the same labels \(set)")
            }
            // NULL (e.g. `SUM` over no rows) is no sample: the series goes stale like a vanished row.
            guard let value = try Self.number(statement.value(at: Int32(valueColumn)), row: set) else { continue }
            samples.append(LabeledSample(set, Sample(timestamp, value)))
        }
        return samples
    }
}

extension SQLSource {
    /// The sample value of a `value` cell: integers and reals as they are, text only when it is a
    /// number in full (`'12.5'`, `'1e3'`, `'+Inf'`); other text and blobs
    /// fail the round rather than silently reading as 0. NULL is nil.
    static func number(_ cell: SQLValue, row: Labels) throws -> Double? {
        switch cell {
        case .null: return nil
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let text):
            if let value = Double(text) { return value }
            throw SQLSourceError(message: "value of row \(row) is the text \"\(text.prefix(64))\", not a number")
        case .blob(let bytes):
            throw SQLSourceError(message: "value of row \(row) is a \(bytes.count)-byte blob, not a number")
        }
    }
}

struct SQLSourceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
