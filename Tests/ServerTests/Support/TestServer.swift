import Logging
import Model
@testable import Server

/// A real `APIServer` bound to a free loopback port for the duration of `body`.
func withServer<T>(_ dependencies: ServerDependencies, auth: APIAuth = .none,
                   _ body: (HTTPTestClient) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let server = try APIServer(dependencies: dependencies, listen: "127.0.0.1:0", auth: auth,
                               logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                               onListening: { continuation.yield($0) })
    let task = Task { try await server.run() }
    defer { task.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw HTTPTestClient.ClientError(description: "server did not start") }
    let result = try await body(HTTPTestClient(port: port))
    task.cancel()
    _ = await task.result
    return result
}

/// Fixed data the tests serve: two `up` series and a few more.
enum Fixtures {
    static let now: Timestamp = 1_700_000_000_000

    static func store() throws -> MemorySeriesStore {
        let store = MemorySeriesStore()
        let series: [(Labels, [Sample])] = [
            (["__name__": "up", "job": "api", "instance": "127.0.0.1:8000"], [Sample(now - 30_000, 1), Sample(now, 1)]),
            (["__name__": "up", "job": "api", "instance": "127.0.0.1:8001"], [Sample(now, 0)]),
            (["__name__": "probe_success", "check": "api-health"], [Sample(now, 1)]),
        ]
        try store.append(series.flatMap { labels, samples in samples.map { LabeledSample(labels, $0) } })
        return store
    }

    static func dependencies() throws -> ServerDependencies {
        var deps = ServerDependencies(querier: try store())
        deps.now = { now }
        return deps
    }
}
