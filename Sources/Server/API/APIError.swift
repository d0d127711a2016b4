/// An error answered the way Prometheus' HTTP API answers it:
/// `{"status":"error","errorType":"bad_data","error":"..."}` with the matching HTTP status.
///
/// Query closures in `ServerDependencies` throw this to choose the error type; any other error
/// they throw is reported as `execution` (422).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Prometheus' error types, with the HTTP status each is answered with.
    public enum Kind: String, Sendable {
        case badData = "bad_data"      // 400
        case execution                 // 422
        case timeout                   // 503
        case canceled                  // 499
        case notFound = "not_found"    // 404
        case unavailable               // 503
        case `internal`                // 500
        case unauthorized              // 401 (not a Prometheus type; Prometheus leaves auth to a proxy)

        var httpStatus: Int {
            switch self {
            case .badData: 400
            case .execution: 422
            case .timeout, .unavailable: 503
            case .canceled: 499
            case .notFound: 404
            case .internal: 500
            case .unauthorized: 401
            }
        }
    }

    /// The error type.
    public var kind: Kind
    /// The message, shown to API clients as is.
    public var message: String

    /// Creates an error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Prometheus' wording for a parameter that does not parse: `invalid parameter "query": ...`.
    public static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        APIError(.badData, "invalid parameter \"\(name)\": \(reason)")
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
