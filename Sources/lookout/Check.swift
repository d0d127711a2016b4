import ArgumentParser
import Config
import Daemon

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the config and every rule file; print a one-screen summary.",
        discussion: "Exit 0 when valid, 1 when not; each problem is printed as file:line:column: key.path: message.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let source = options.source
        switch source.load() {
        case .success(let config):
            print(ConfigSummary.render(config, compiled: Shorthands.compiledExpression))
            print("\(source.name): valid")
        case .failure(let errors):
            for diagnostic in errors.diagnostics { StandardError.write(diagnostic.description) }
            StandardError.write("\(source.name): invalid (\(errors.diagnostics.count) problem\(errors.diagnostics.count == 1 ? "" : "s"))")
            throw ExitCode(1)
        }
    }
}
