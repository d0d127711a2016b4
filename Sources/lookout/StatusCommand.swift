import ArgumentParser
import Daemon
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Checks, targets, firing and pending alerts, notification queue.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        var config = try StoreLocation.configuration(options)
        config.global.dataDir = try StoreLocation.dataDir(options)
        _ = try StoreLocation.existingDatabase(options)
        do {
            // Without a config file the embedded default's checks are not the store's: list what is stored.
            print(try StatusReport.render(config: config, now: TimeArgument.nowMillis(),
                                          checksFromStore: options.source.path == nil))
        } catch {
            StandardError.write("lookout: cannot read the store: \(error)")
            throw ExitCode(2)
        }
    }
}
