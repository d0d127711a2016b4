/// A response before it meets the HTTP framework: status, content type and body text.
struct APIReply: Sendable {
    var status: Int
    var contentType: String
    var body: String
    var headers: [(String, String)] = []

    static let jsonType = "application/json"

    /// Prometheus' success envelope: `{"status":"success","data":<data>}`.
    static func success(_ writeData: (inout JSONWriter) -> Void) -> APIReply {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.field("status", "success")
        json.key("data")
        writeData(&json)
        json.endObject()
        return APIReply(status: 200, contentType: jsonType, body: json.text)
    }

    /// Prometheus' error envelope with the status of the error type.
    static func failure(_ error: any Error) -> APIReply {
        let error = error as? APIError ?? APIError(.internal, "\(error)")
        var json = JSONWriter()
        json.beginObject()
        json.field("status", "error")
        json.field("errorType", error.kind.rawValue)
        json.field("error", error.message)
        json.endObject()
        return APIReply(status: error.kind.httpStatus, contentType: jsonType, body: json.text)
    }

    static func json(_ status: Int, _ body: String) -> APIReply {
        APIReply(status: status, contentType: jsonType, body: body)
    }

    static func text(_ status: Int, _ body: String) -> APIReply {
        APIReply(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }

    static func html(_ status: Int, _ body: String) -> APIReply {
        APIReply(status: status, contentType: "text/html; charset=utf-8", body: body)
    }
}
