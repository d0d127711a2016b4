import ArgumentParser
import Daemon

@main
struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "A single-binary monitoring daemon: probes, scrapes, stores, alerts, notifies.",
        subcommands: [Run.self, Check.self, QueryCommand.self, TestCommand.self, NotifyCommand.self, ReportCommand.self, SilenceCommand.self, StatusCommand.self, Version.self])
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print version and build information.")

    func run() {
        print(BuildInfo.description)
    }
}
