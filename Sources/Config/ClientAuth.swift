import Foundation

/// How Lookout authenticates to a server it sends to (`alertmanagers[]`, `remote_write[]`):
/// `bearer_token` / `bearer_token_file`, or `basic_auth`.
public enum ClientAuth: Sendable, Hashable {
    case bearerToken(Secret)
    case basic(username: String, password: Secret)

    /// The `Authorization` header's value (`Bearer …`, `Basic base64(user:password)`); a secret.
    public var authorizationHeader: String {
        switch self {
        case .bearerToken(let token): "Bearer " + token.value
        case .basic(let username, let password): "Basic " + Data((username + ":" + password.value).utf8).base64EncodedString()
        }
    }
}
