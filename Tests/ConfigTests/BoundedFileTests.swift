import Config
import Foundation
import Testing

/// Files the config names are read without hanging on a FIFO or device and without reading
/// more than a bound.
@Suite struct BoundedFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "lookout-bounded-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(mkfifo(directory + "/fifo", 0o600) == 0)
    }

    private func messages(_ config: String) -> [String] {
        guard case .failure(let errors) = ConfigLoader.parse(text: config, fileName: "lookout.yml", directory: directory,
                                                             environment: [:]) else { return [] }
        return errors.diagnostics.map(\.description)
    }

    private func pagerDuty(keyFile: String) -> String {
        "notify:\n  channels:\n    pager:\n      pagerduty: {routing_key_file: \(keyFile)}\n  default_channels: [pager]\n"
    }

    @Test func aSecretFileThatIsAFIFOOrADeviceIsRefusedWithoutBlocking() {
        #expect(messages(pagerDuty(keyFile: "fifo")).contains { $0.hasSuffix("secret file \"\(directory)/fifo\" is not a regular file") })
        #expect(messages(pagerDuty(keyFile: "/dev/zero")).contains { $0.hasSuffix("secret file \"/dev/zero\" is not a regular file") })
    }

    @Test func aHugeSecretFileIsRefused() throws {
        try String(repeating: "k", count: 70_000).write(toFile: directory + "/big.key", atomically: true, encoding: .utf8)
        #expect(messages(pagerDuty(keyFile: "big.key")).contains { $0.hasSuffix("secret file \"\(directory)/big.key\" is larger than 64 KiB") })
    }

    @Test func aRuleFileThatIsAFIFOIsRefusedWithoutBlocking() {
        let found = messages("rule_files: [fifo]\n")
        #expect(found.contains { $0.contains("rule file \"\(directory)/fifo\" is not a regular file") }, "\(found)")
    }

    @Test func theConfigMayComeFromAPipe() throws {
        // `--config <(envsubst < lookout.yml)`: the shell writes the text into a pipe.
        let path = directory + "/fifo"
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)
            handle?.write(Data("global:\n  scrape_interval: 7s\n".utf8))
            try? handle?.close()
        }
        writer.start()
        let config = try ConfigLoader.load(path: path, environment: [:]).get()
        #expect(config.global.scrapeInterval == 7_000)
    }
}
