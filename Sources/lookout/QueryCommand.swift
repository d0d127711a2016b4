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
        let times = try evaluationTimes()
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
            switch times {
            case .instant(let at): result = try engine.instant(expr, at: at)
            case .range(let start, let end, let step): result = try engine.range(expr, start: start, end: end, step: step)
            }
        } catch {
            StandardError.write("lookout: \(error)")
            throw ExitCode(1)
        }
        print(json ? QueryOutput.json(result) : QueryOutput.table(result))
    }

    enum Times {
        case instant(Int64)
        case range(start: Int64, end: Int64, step: Int64)
    }

    /// The instant or range from the options, checked before the store is opened.
    func evaluationTimes() throws -> Times {
        guard start != nil || step != nil || end != nil else { return .instant(try TimeArgument.parse(time ?? "now")) }
        guard time == nil else { throw ValidationError("--time is for an instant query; a range query takes --start, --end and --step") }
        guard let start, let step else { throw ValidationError("a range query needs --start and --step (--end defaults to now)") }
        let stepMillis = PromDuration.parse(step) ?? Double(step).map { Int64($0 * 1000) }
        guard let stepMillis, stepMillis > 0 else { throw ValidationError("invalid --step \"\(step)\"") }
        return .range(start: try TimeArgument.parse(start), end: try TimeArgument.parse(end ?? "now"), step: stepMillis)
    }
}
