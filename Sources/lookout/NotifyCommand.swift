import ArgumentParser
import Daemon
import Notify

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Notification channels.", subcommands: [TestChannel.self])

    struct TestChannel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Send a clearly marked test notification through one channel.")
        @Argument(help: "The channel name from notify.channels.") var channel: String
        @OptionGroup var options: ConfigOptions
        @OptionGroup var logs: LogOptions

        func run() async throws {
            _ = logs.bootstrap()
            let config = try StoreLocation.configuration(options)
            let result: DeliveryResult
            do {
                result = try await NotifyTest.send(channel: channel, config: config)
            } catch let error as NotifyTest.UnknownChannel {
                StandardError.write("lookout: \(error)")
                throw ExitCode(1)
            } catch {
                StandardError.write("lookout: \(error)")
                throw ExitCode(2)
            }
            switch result {
            case .delivered:
                print("\(channel): test notification delivered")
            case .retry(_, let reason), .permanent(let reason):
                StandardError.write("\(channel): test notification failed: \(reason)")
                throw ExitCode(2)
            }
        }
    }
}
