/// A failure that retrying the same request (same `client_order_id`) can cure.
public enum TransientFailure: Sendable, Hashable {
    /// The connection was refused or reset, the reply was empty, or receiving failed.
    case network(String)
    /// The connect or total timeout elapsed.
    case timeout
    /// HTTP 5xx or 409.
    case server(status: Int, message: String)
    /// HTTP 429, with the parsed `Retry-After` when the header was usable.
    case rateLimited(retryAfter: Duration?)
    /// A 2xx response whose body is not the expected envelope.
    case malformedResponse(String)
}
