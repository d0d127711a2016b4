import Foundation
import Model
import Testing
import TestSupport
@testable import Server

/// Runs the real `amtool silence add|query|expire` (Debian's prometheus-alertmanager) against the server.
@Suite("amtool against the silences API", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/amtool")))
struct AmtoolTests {
    @Test("add, query and expire a silence")
    func silences() async throws {
        var deps = try Fixtures.dependencies()
        deps.now = { Timestamp(Date().timeIntervalSince1970 * 1000) }
        SilenceBook().install(into: &deps)
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let url = "--alertmanager.url=http://127.0.0.1:\(client.port)"
            let added = try await runTool("/usr/bin/amtool", ["silence", "add", url, "--author=ops", "--comment=deploy", "--duration=1h", "alertname=ApiDown", "job=~api.*"])
            #expect(added.0 == 0)
            #expect(added.1 == "s1\n")
            let query = try await runTool("/usr/bin/amtool", ["silence", "query", url, "-o", "json"])
            #expect(query.0 == 0)
            #expect(query.1.contains(#""id":"s1""#) && query.1.contains(#""createdBy":"ops""#) && query.1.contains(#""state":"active""#))
            let quiet = try await runTool("/usr/bin/amtool", ["silence", "query", url, "-q", "alertname=ApiDown"])
            #expect(quiet.1 == "s1\n")
            let expired = try await runTool("/usr/bin/amtool", ["silence", "expire", url, "s1"])
            #expect(expired.0 == 0)
            #expect(try await runTool("/usr/bin/amtool", ["silence", "query", url, "-q"]).1 == "")
        }
    }
}
