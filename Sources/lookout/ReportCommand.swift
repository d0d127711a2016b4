import ArgumentParser
import Daemon
import Notify

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build a scheduled report now from the store and print it; --send also delivers it.",
        discussion: "Works while the daemon runs. Sending bypasses the queue and does not count as the day's report.")

    @Argument(help: "The report name from reports:.") var name: String
    @Flag(help: "Send it through the report's channels (marked as a preview) and print each receiver's answer.")
    var send = false
    @OptionGroup var options: ConfigOptions
    @OptionGroup var logs: LogOptions

    func run() async throws {
        _ = logs.bootstrap()
        var config = try StoreLocation.configuration(options)
        config.global.dataDir = try StoreLocation.dataDir(options)
        _ = try StoreLocation.existingDatabase(options)
        let report: ReportNotification
        do {
            report = try ReportPreview.build(name: name, config: config, now: TimeArgument.nowMillis())
        } catch let error as ReportPreviewError {
            StandardError.write("lookout: \(error)")
            throw ExitCode(1)
        } catch {
            StandardError.write("lookout: cannot read the store: \(error)")
            throw ExitCode(2)
        }
        print(ReportPreview.text(report))
        guard send else { return }
        var failed = false
        for (channel, result) in try await ReportPreview.send(report, config: config) {
            switch result {
            case .delivered:
                print("\(channel): report delivered")
            case .retry(_, let reason), .permanent(let reason):
                StandardError.write("\(channel): report failed: \(reason)")
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }
}
