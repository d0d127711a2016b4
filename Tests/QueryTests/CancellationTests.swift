import Model
import Testing
@testable import Query

/// A cancelled task's query stops with `.canceled` instead of running to its end.
@Suite struct CancellationTests {
    @Test("evaluation in a cancelled task throws .canceled")
    func cancelledTask() async throws {
        let engine = Engine(querier: try FuzzTests.store(), options: EngineOptions(timeZone: .gmt))
        for query in ["rate(requests_total[5m])", "sum(temp)", "max_over_time(temp[1h:1s])", "temp"] {
            let kind = await Task { () -> QueryError.Kind? in
                withUnsafeCurrentTask { $0?.cancel() }
                do {
                    _ = try engine.range(query, start: 0, end: 1_800_000, step: 15_000)
                    return nil
                } catch let error as QueryError {
                    return error.kind
                } catch {
                    return nil
                }
            }.value
            #expect(kind == .canceled, "\(query)")
        }
    }
}
