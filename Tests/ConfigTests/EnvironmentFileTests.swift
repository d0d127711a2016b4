@testable import Config
import Foundation
import Testing

/// `lookout.env` beside the config: read as systemd reads an `EnvironmentFile=`, the environment winning.
@Suite struct EnvironmentFileTests {
    @Test func parsesWhatSystemdReads() {
        let text = """
            # secrets for the unit
            ; also a comment
            SLACK_WEBHOOK_URL=https://hooks.slack.test/T/B/x
              SMTP_PASSWORD = "p@ss \\"word\\" \\\\ end"
            export PAGERDUTY_ROUTING_KEY='r0ut1ng key'
            EMPTY=
            1BAD=x
            no assignment here
            CRLF=yes\r
            """
        #expect(EnvironmentFile.parse(text) == [
            "SLACK_WEBHOOK_URL": "https://hooks.slack.test/T/B/x",
            "SMTP_PASSWORD": "p@ss \"word\" \\ end",
            "PAGERDUTY_ROUTING_KEY": "r0ut1ng key",
            "EMPTY": "",
            "CRLF": "yes",
        ])
    }

    @Test func fillsOnlyWhatTheEnvironmentLacks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("envfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("lookout.yml").path
        #expect(EnvironmentFile.merged(["A": "1"], configPath: config) == ["A": "1"])   // no file: unchanged
        try "A=file\nB=file\n".write(to: directory.appendingPathComponent("lookout.env"), atomically: true, encoding: .utf8)
        #expect(EnvironmentFile.merged(["A": "1"], configPath: config) == ["A": "1", "B": "file"])
    }

    @Test func aFileAnyoneMayWriteOrAnotherUserOwnsIsIgnored() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("envfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lookout.env").path
        let config = directory.appendingPathComponent("lookout.yml").path
        try "HOOK=https://planted.example/x\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(chmod(file, 0o600) == 0)
        #expect(EnvironmentFile.merged([:], configPath: config) == ["HOOK": "https://planted.example/x"])
        #expect(chmod(file, 0o666) == 0)
        #expect(EnvironmentFile.merged([:], configPath: config) == [:])
        #expect(chmod(file, 0o620) == 0)   // the group may write it: not only its owner
        #expect(EnvironmentFile.merged([:], configPath: config) == [:])
        #expect(chmod(file, 0o640) == 0)   // the group may read it: fine (e.g. root:lookout)
        #expect(EnvironmentFile.merged([:], configPath: config) == ["HOOK": "https://planted.example/x"])
        #expect(chmod(file, 0o600) == 0)
        if geteuid() == 0 {   // only root can give the file away
            #expect(chown(file, 4321, 4321) == 0)
            #expect(EnvironmentFile.merged([:], configPath: config) == [:])
        }
    }

    @Test func aFileThatIsNotRegularIsIgnored() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("envfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A FIFO nobody writes to must not block the loader.
        #expect(mkfifo(directory.appendingPathComponent("lookout.env").path, 0o600) == 0)
        #expect(EnvironmentFile.merged([:], configPath: directory.appendingPathComponent("lookout.yml").path) == [:])
    }
}
