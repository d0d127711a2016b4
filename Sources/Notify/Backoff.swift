/// When to try a failed delivery again: exponential backoff with full jitter, bounded, and a
/// receiver's `Retry-After` taking precedence when it asks for longer.
public enum Backoff {
    /// Delay before attempt `attempt + 1` (attempt counts from 1), in ms. `random` is in [0, 1).
    public static func delay(attempt: Int, policy: DeliveryPolicy, retryAfter: Int64?, random: Double) -> Int64 {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(policy.maxBackoff, policy.initialBackoff << Int64(exponent))
        // Half fixed, half jittered: never hammer, never synchronise.
        let jittered = ceiling / 2 + Int64(Double(ceiling / 2) * random)
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, policy.maxAge))
    }
}
