import ArgumentParser
import Foundation
import Rules

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run unit tests.", subcommands: [TestRules.self])
}

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Run Prometheus-style rule unit-test files (the `promtool test rules` format).")

    @Argument(help: "Test files.") var files: [String]

    /// Failures and warnings go to stderr, file names and SUCCESS to stdout, as promtool prints them.
    func run() throws {
        let (passed, pieces) = RuleTestRunner.runSplit(files: files)
        for piece in pieces {
            FileHandle(fileDescriptor: piece.isError ? 2 : 1).write(Data(piece.text.utf8))
        }
        if !passed { throw ExitCode(1) }
    }
}
