import Model
import Testing
@testable import Server

/// The query endpoints on the real PromQL engine over the fixture store.
@Suite("Query API on the PromQL engine")
struct EngineAPITests {
    @Test("instant, range and errors as Prometheus answers them", arguments: [
        ("/api/v1/query?query=up%20%3D%3D%200&time=1700000000", 200,
         #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"127.0.0.1:8001","job":"api"},"value":[1700000000,"0"]}]}}"#),
        ("/api/v1/query?query=sum%20by%20(job)%20(up)&time=1700000000", 200,
         #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1700000000,"1"]}]}}"#),
        ("/api/v1/query?query=1%2F0&time=1700000000", 200,
         #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"+Inf"]}}"#),
        ("/api/v1/query_range?query=up%7Binstance%3D%22127.0.0.1%3A8000%22%7D&start=1699999970&end=1700000000&step=15", 200,
         #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"127.0.0.1:8000","job":"api"},"values":[[1699999970,"1"],[1699999985,"1"],[1700000000,"1"]]}]}}"#),
        ("/api/v1/query?query=sum(up", 400,
         #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:7: parse error: unclosed left parenthesis"}"#),
        ("/api/v1/query_range?query=up%5B5m%5D&start=0&end=10&step=1", 400,
         #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"}"#),
    ])
    func engine(path: String, status: Int, body: String) async throws {
        try await withServer(Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            let response = try await client.get(path)
            #expect(response.status == status)
            #expect(response.body == body)
        }
    }
}
