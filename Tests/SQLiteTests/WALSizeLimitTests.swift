import Foundation
import Testing
@testable import SQLite

/// The `-wal` file shrinks back after a checkpoint instead of keeping the size of the largest
/// transaction (or of the longest time a reader held back checkpoints) for the database's life.
@Suite struct WALSizeLimitTests {
    let dir = TempDirectory()

    func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Grows the WAL with one 4 MiB transaction while a reader pins its snapshot (so nothing can
    /// be checkpointed), lets the reader go, checkpoints, commits a small row; returns the WAL size.
    func walAfterBurst(limit: Int64?) throws -> (peak: Int, after: Int) {
        let path = dir.file("burst-\(limit.map(String.init) ?? "none").db")
        var options = Connection.Options()
        options.journalSizeLimitBytes = limit
        let writer = try Connection(path: path, options: options)
        try writer.execute("CREATE TABLE t(v BLOB)")
        let reader = try Connection(path: path, options: .readOnly)
        try reader.execute("BEGIN")
        _ = try reader.scalar("SELECT count(*) FROM t")
        try writer.withTransaction {
            for _ in 0..<64 { try writer.execute("INSERT INTO t VALUES(zeroblob(65536))") }
        }
        let peak = walBytes(path)
        try reader.execute("COMMIT")
        try writer.checkpoint(.passive)
        try writer.execute("INSERT INTO t VALUES(1)")
        return (peak, walBytes(path))
    }

    @Test func walIsTruncatedToTheLimitAfterACheckpoint() throws {
        let limited = try walAfterBurst(limit: 256 << 10)
        #expect(limited.peak > 4 << 20)
        #expect(limited.after <= 256 << 10, "WAL \(limited.after) B after the checkpoint")
        // Without a limit (SQLite's default) the file keeps its peak size: what the limit is for.
        let unlimited = try walAfterBurst(limit: nil)
        #expect(unlimited.after >= unlimited.peak)
    }

    @Test func everyWritableConnectionHasTheLimitByDefault() throws {
        let path = dir.file("default.db")
        let writer = try Connection(path: path)
        #expect(try writer.pragmaInt("journal_size_limit") == 16 << 20)
        let reader = try Connection(path: path, options: .readOnly)
        #expect(try reader.pragmaInt("journal_size_limit") == -1)
    }
}
