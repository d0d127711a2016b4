import Model
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

    @Test("basic auth with a bcrypt hash, as htpasswd -B and Prometheus' web config write")
    func basicBcrypt() async throws {
        // crypt("s3cret", "$2y$05$abcdefghijklmnopqrstuu"), checked with Python's crypt module.
        let hash = try #require(PasswordHash("$2y$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK"))
        let auth = APIAuth.basic(username: "grafana", hash: hash)
        try await withServer(Fixtures.dependencies(), auth: auth) { (client: HTTPTestClient) async throws in
            // base64("grafana:s3cret"), base64("grafana:s3cres"), base64("admin:s3cret")
            for _ in 0..<3 {  // the second and third are answered from the accepted-credential memory
                #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Basic Z3JhZmFuYTpzM2NyZXQ=")]).status == 200)
            }
            #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Basic Z3JhZmFuYTpzM2NyZXM=")]).status == 401)
            #expect(try await client.get("/api/v1/labels", headers: [("Authorization", "Basic YWRtaW46czNjcmV0")]).status == 401)
        }
    }

    @Test("bcrypt vectors through libxcrypt")
    func bcryptVectors() {
        // OpenBSD's vector, and one of each prefix.
        #expect(Bcrypt.compute("U*U", setting: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.") == "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")
        #expect(Bcrypt.verify("s3cret", hash: "$2b$10$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/lu"))
        #expect(!Bcrypt.verify("s3cret!", hash: "$2b$10$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/lu"))
        #expect(Bcrypt.compute("x", setting: "$2b$99$abcdefghijklmnopqrstuu") == nil)
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
