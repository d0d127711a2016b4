import Model
import Synchronization
import Testing
@testable import Server

/// A silence store for the tests, with ids handed out in order.
final class SilenceBook: Sendable {
    private let state = Mutex<(next: Int, silences: [Silence])>((1, []))

    func install(into deps: inout ServerDependencies) {
        deps.silences = { self.state.withLock { $0.silences } }
        deps.createSilence = { silence in
            self.state.withLock { state in
                var silence = silence
                if silence.id.isEmpty {
                    silence.id = "s\(state.next)"
                    state.next += 1
                }
                state.silences.removeAll { $0.id == silence.id }
                state.silences.append(silence)
                return silence.id
            }
        }
        deps.expireSilence = { id in
            self.state.withLock { state in
                guard let index = state.silences.firstIndex(where: { $0.id == id }) else { return false }
                state.silences[index].endsAt = Fixtures.now
                return true
            }
        }
    }
}

@Suite("Alertmanager silences API")
struct SilencesAPITests {
    static let body = #"{"matchers":[{"name":"alertname","value":"ApiDown","isRegex":false},{"name":"env","value":"stag.*","isRegex":true,"isEqual":false}],"startsAt":"2023-11-14T22:00:00Z","endsAt":"2023-11-15T00:00:00Z","createdBy":"ops <ops@example.com>","comment":"maintenance"}"#

    func deps() throws -> (ServerDependencies, SilenceBook) {
        var deps = try Fixtures.dependencies()
        let book = SilenceBook()
        book.install(into: &deps)
        return (deps, book)
    }

    @Test("create, list, get and delete")
    func lifecycle() async throws {
        let (deps, _) = try deps()
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let created = try await client.send("POST", "/api/v2/silences", headers: [("Content-Type", "application/json")], body: Self.body)
            #expect(created.status == 200)
            #expect(created.body == #"{"silenceID":"s1"}"#)
            let list = try await client.get("/api/v2/silences")
            // startsAt in the past becomes now, as in Alertmanager.
            let silence = #"{"id":"s1","status":{"state":"active"},"updatedAt":"2023-11-14T22:13:20Z","comment":"maintenance","createdBy":"ops \u003cops@example.com\u003e","endsAt":"2023-11-15T00:00:00Z","matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"ApiDown"},{"isEqual":false,"isRegex":true,"name":"env","value":"stag.*"}],"startsAt":"2023-11-14T22:13:20Z"}"#
            #expect(list.body == "[\(silence)]")
            #expect(try await client.get("/api/v2/silence/s1").body == silence)
            #expect(try await client.get("/api/v2/silences?filter=alertname%3D%22ApiDown%22").body == "[\(silence)]")
            #expect(try await client.get("/api/v2/silences?filter=alertname%3D%22Other%22").body == "[]")
            #expect(try await client.get("/api/v2/silences?filter=alertname").status == 400)
            let deleted = try await client.send("DELETE", "/api/v2/silence/s1")
            #expect(deleted.status == 200)
            #expect(try await client.get("/api/v2/silences").body.contains(#""state":"expired""#))
            #expect(try await client.send("DELETE", "/api/v2/silence/nope").status == 404)
            #expect(try await client.get("/api/v2/silence/nope").status == 404)
        }
    }

    @Test("invalid silences are refused with 400", arguments: [
        (#"{"matchers":[],"startsAt":"2023-11-14T22:00:00Z","endsAt":"2023-11-15T00:00:00Z","createdBy":"a","comment":"c"}"#, #""at least one matcher required""#),
        (#"{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2023-11-15T00:00:00Z","endsAt":"2023-11-14T23:00:00Z","createdBy":"a","comment":"c"}"#, #""Failed to create silence: start time must be before end time""#),
        (#"{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2023-11-14T00:00:00Z","endsAt":"2023-11-14T01:00:00Z","createdBy":"a","comment":"c"}"#, #""Failed to create silence: end time can't be in the past""#),
        (#"{"matchers":[{"name":"a","value":"(","isRegex":true}],"startsAt":"2023-11-14T22:00:00Z","endsAt":"2023-11-15T00:00:00Z","createdBy":"a","comment":"c"}"#, nil),
        (#"{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"yesterday","endsAt":"2023-11-15T00:00:00Z","createdBy":"a","comment":"c"}"#, #""startsAt in body must be of type date-time: \"yesterday\"""#),
        (#"{"matchers":"#, #""invalid silence: body is not valid JSON""#),
        (#"{"startsAt":"2023-11-14T22:00:00Z"}"#, #""invalid silence: missing field \"matchers\"""#),
    ])
    func invalid(body: String, expected: String?) async throws {
        let (deps, _) = try deps()
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let response = try await client.send("POST", "/api/v2/silences", headers: [("Content-Type", "application/json")], body: body)
            #expect(response.status == 400)
            if let expected { #expect(response.body == expected) }
            #expect(try await client.get("/api/v2/silences").body == "[]")
        }
    }
}
