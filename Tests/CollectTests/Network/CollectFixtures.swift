@testable import Collect
import Curl
import Logging
import Model
import TestSupport

/// Shared loop and servers for Collect's network tests; each is started once per test run.
enum CollectFixtures {
    static let loopResult: Result<CurlLoop, any Error> = Result { try CurlLoop() }
    static func loop() throws -> CurlLoop { try loopResult.get() }

    static let httpTask = Task { try await ScriptServer.launch(script: "loopback_http.py") }
    static func http() async throws -> ScriptServer { try await httpTask.value }

    typealias TLS = LoopbackTLSServer

    /// An HTTPS server whose self-signed certificate expires in two days, started once per run.
    static let tlsTask = Task { try await LoopbackTLSServer.launch(days: 2) }
    static func tls() async throws -> TLS { try await tlsTask.value }

    static let logger = Logger(label: "collect-tests")

    /// The absolute path of a file in Tests/CollectTests/testdata.
    static func testdata(_ name: String) -> String {
        let here = #filePath
        let network = here[..<here.lastIndex(of: "/")!]
        let tests = network[..<network.lastIndex(of: "/")!]
        return "\(tests)/testdata/\(name)"
    }

    static func closedPort() -> Int {
        // Port 1 on loopback: privileged and unused on a test machine, so connecting is refused.
        1
    }
}

extension MemorySeriesStore {
    /// Every series named `name`, over all time.
    func series(_ name: String) throws -> [Series] {
        try select([Matcher(Labels.metricName, .equal, name)], in: Timestamp.min...Timestamp.max)
    }

    /// The latest value of the one series named `name` with `labels` among its labels.
    func latest(_ name: String, _ labels: [String: String] = [:]) throws -> Double? {
        let matching = try series(name).filter { series in labels.allSatisfy { series.labels[$0.key] == $0.value } }
        return matching.first?.samples.last?.value
    }
}
