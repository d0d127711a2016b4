import ArgumentParser

@main
struct Lookout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "A single-binary monitoring daemon: probes, scrapes, stores, alerts, notifies.")
}
