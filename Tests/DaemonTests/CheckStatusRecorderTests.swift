import Logging
import SQLite
import Storage
import Testing
import TestSupport
@testable import Daemon

/// A check status table that cannot be written is one warning, not one per probe.
@Suite struct CheckStatusRecorderTests {
    @Test func aWriteFailureIsLoggedOnceAndItsEndOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("lookout.db")
        let store = try CheckStatusStore(path: path)
        let (logger, logs) = RecordingLogHandler.logger()
        let recorder = CheckStatusRecorder(store: store, logger: logger)
        recorder.record(check: "api", success: true, at: 1, duration: .milliseconds(5), reason: nil)
        let side = try Connection(path: path)
        // The disk is "full": writes to the table fail as SQLITE_FULL would.
        try side.execute("""
            CREATE TRIGGER full_insert BEFORE INSERT ON check_status BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            CREATE TRIGGER full_update BEFORE UPDATE ON check_status BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            """)
        for t in 2...50 { recorder.record(check: "api", success: t % 2 == 0, at: Int64(t), duration: .milliseconds(5), reason: "x") }
        #expect(logs.all.filter { $0.hasPrefix("warning cannot record check status") }.count == 1)
        #expect(logs.all.filter { $0.hasPrefix("debug cannot record check status") }.count == 48)
        try side.execute("DROP TRIGGER full_insert; DROP TRIGGER full_update")
        recorder.record(check: "api", success: true, at: 51, duration: .milliseconds(5), reason: nil)
        recorder.record(check: "api", success: true, at: 52, duration: .milliseconds(5), reason: nil)
        #expect(logs.all.filter { $0.hasPrefix("info check status recorded again") }.count == 1)
        #expect(try store.all().first?.at == 52)
    }
}
