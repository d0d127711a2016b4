import ArgumentParser
import Rules

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run unit tests.", subcommands: [TestRules.self])
}

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Run Prometheus-style rule unit-test files (the `promtool test rules` format).")

    @Argument(help: "Test files.") var files: [String]

    func run() throws {
        let (passed, output) = RuleTestRunner.run(files: files)
        print(output, terminator: output.hasSuffix("\n") ? "" : "\n")
        if !passed { throw ExitCode(1) }
    }
}
