import Model
import Testing
@testable import Server

@Suite("Prometheus series and label API")
struct MetadataAPITests {
    @Test("series with repeated match[], deduplicated and sorted")
    func series() async throws {
        try await withServer(Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            let response = try await client.get("/api/v1/series?match[]=up&match[]=%7Bjob%3D%22api%22%7D&match[]=probe_success")
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"success","data":[{"__name__":"probe_success","check":"api-health"},{"__name__":"up","instance":"127.0.0.1:8000","job":"api"},{"__name__":"up","instance":"127.0.0.1:8001","job":"api"}]}"#)
            let posted = try await client.post("/api/v1/series", form: "match%5B%5D=up%7Binstance%3D~%22.*8001%22%7D&start=1699999990&end=1700000010")
            #expect(posted.body == #"{"status":"success","data":[{"__name__":"up","instance":"127.0.0.1:8001","job":"api"}]}"#)
            let outOfRange = try await client.get("/api/v1/series?match[]=up&start=0&end=10")
            #expect(outOfRange.body == #"{"status":"success","data":[]}"#)
            // Prometheus 2.42 answers an end before the start with nothing, not an error.
            for path in ["/api/v1/series?match[]=up&start=20&end=10", "/api/v1/labels?start=20&end=10",
                         "/api/v1/label/job/values?start=20&end=10"] {
                let inverted = try await client.get(path)
                #expect(inverted.status == 200 && inverted.body == #"{"status":"success","data":[]}"#)
            }
        }
    }

    @Test("series errors", arguments: [
        ("/api/v1/series", #"{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}"#),
        ("/api/v1/series?match[]=up%7Bjob%3D", #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": 1:8: parse error: expected label value (a quoted string)"}"#),
        ("/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D", #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": match[] must contain at least one non-empty matcher"}"#),
        ("/api/v1/series?match[]=%7B%7D", #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": match[] must contain at least one non-empty matcher"}"#),
        ("/api/v1/series?match[]=", #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": 1:1: parse error: unexpected end of input"}"#),
        ("/api/v1/series?match[]=up&start=x", #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": cannot parse \"x\" to a valid timestamp"}"#),
    ])
    func seriesErrors(path: String, body: String) async throws {
        try await withServer(Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            let response = try await client.get(path)
            #expect(response.status == 400)
            #expect(response.body == body)
        }
    }

    @Test("label names, all or for match[]")
    func labels() async throws {
        try await withServer(Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            #expect(try await client.get("/api/v1/labels").body == #"{"status":"success","data":["__name__","check","instance","job"]}"#)
            #expect(try await client.get("/api/v1/labels?match[]=up").body == #"{"status":"success","data":["__name__","instance","job"]}"#)
            #expect(try await client.post("/api/v1/labels", form: "match[]=probe_success").body == #"{"status":"success","data":["__name__","check"]}"#)
            #expect(try await client.get("/api/v1/labels?match[]=nothing").body == #"{"status":"success","data":[]}"#)
        }
    }

    @Test("label values, with name validation")
    func labelValues() async throws {
        try await withServer(Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            #expect(try await client.get("/api/v1/label/__name__/values").body == #"{"status":"success","data":["probe_success","up"]}"#)
            #expect(try await client.get("/api/v1/label/instance/values?match[]=up").body == #"{"status":"success","data":["127.0.0.1:8000","127.0.0.1:8001"]}"#)
            #expect(try await client.get("/api/v1/label/nope/values").body == #"{"status":"success","data":[]}"#)
            let bad = try await client.get("/api/v1/label/1bad/values")
            #expect(bad.status == 400)
            #expect(bad.body == #"{"status":"error","errorType":"bad_data","error":"invalid label name: \"1bad\""}"#)
        }
    }
}
