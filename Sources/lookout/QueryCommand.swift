import ArgumentParser
import Daemon
import Model
import Query
import Storage

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Evaluate PromQL against the local store and print a table (or --json).")

    @Argument(help: "The PromQL expression.") var expression: String
    @Option(help: "Evaluation time for an instant query (RFC 3339 or unix seconds; default now).") var time: String?
    @Option(help: "Range query start.") var start: String?
    @Option(help: "Range query end (default now).") var end: String?
    @Option(help: "Range query step (duration like 15s, or seconds).") var step: String?
    @Flag(help: "Print the Prometheus HTTP API JSON shape.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let expr: Expr
        do {
            expr = try PromQL.parse(expression)
        } catch {
            StandardError.write("lookout: \(error)")
            throw ExitCode(1)
        }
        let config = try StoreLocation.configuration(options)
        let path = try StoreLocation.existingDatabase(options)
        var storeOptions = TSDB.Options()
        storeOptions.readOnly = true
        let tsdb: TSDB
        do {
            tsdb = try TSDB.open(path: path, options: storeOptions)
        } catch {
            StandardError.write("lookout: cannot open \(path): \(error)")
            throw ExitCode(2)
        }
        defer { tsdb.close() }
        let engine = Engine(querier: tsdb, options: EngineOptions(timeZone: config.global.timezone, defaultSubqueryStep: config.global.evaluationInterval))
        let result: QueryResult
        do {
            if start != nil || step != nil {
                guard let start, let step else { throw ValidationError("a range query needs --start and --step") }
                let stepMillis = PromDuration.parse(step) ?? Double(step).map { Int64($0 * 1000) }
                guard let stepMillis, stepMillis > 0 else { throw ValidationError("invalid --step \"\(step)\"") }
                result = try engine.range(expr, start: TimeArgument.parse(start),
                                          end: TimeArgument.parse(end ?? "now"), step: stepMillis)
            } else {
                result = try engine.instant(expr, at: TimeArgument.parse(time ?? "now"))
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.write("lookout: \(error)")
            throw ExitCode(1)
        }
        print(json ? QueryOutput.json(result) : QueryOutput.table(result))
    }
}
