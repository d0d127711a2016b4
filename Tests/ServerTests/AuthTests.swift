import Testing
import Model
@testable import Server

@Suite("Authentication")
struct AuthTests {
    @Test("bearer token: 401 without or with a wrong token, 200 with it, /-/healthy open")
    func bearer() async throws {
        try await withServer(Fixtures.dependencies(), auth: .bearerToken("s3cret-token")) { (client: HTTPTestClient) async throws in
            let denied = try await client.get("/api/v1/labels")
            #expect(denied.status == 401)
            #expect(denied.header("WWW-Authenticate") == "Bearer realm=\"lookout\"")
            #expect(denied.body == #"{"status":"error","errorType":"unauthorized","error":"unauthorized"}"#)
            #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Bearer wrong")]).status == 401)
            #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Bearer s3cret-token")]).status == 200)
            #expect(try await client.get("/", headers: [("Authorization", "bearer s3cret-token")]).status == 200)
            #expect(try await client.get("/").status == 401)
            #expect(try await client.get("/metrics").status == 401)
            #expect(try await client.send("POST", "/-/reload").status == 401)
            #expect(try await client.get("/-/healthy").status == 200)
        }
    }

    @Test("basic auth with a hashed password")
    func basic() async throws {
        // SHA-256("hunter2"), as an operator would put it in the config.
        let auth = APIAuth.basic(username: "grafana", passwordSHA256: "f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7")
        try await withServer(Fixtures.dependencies(), auth: auth) { (client: HTTPTestClient) async throws in
            // base64("grafana:hunter2") and base64("grafana:wrong")
            #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Basic Z3JhZmFuYTpodW50ZXIy")]).status == 200)
            let wrong = try await client.get("/api/v1/labels", headers: [("Authorization", "Basic Z3JhZmFuYTp3cm9uZw==")])
            #expect(wrong.status == 401)
            #expect(wrong.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
            #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Basic !!!")]).status == 401)
        }
    }

    @Test("SHA-256 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        ("hunter2", "f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7"),
    ])
    func sha256(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }
}
