/// Which part of the request target the signature covers (CatFee's documentation disagrees with itself).
public enum SignatureScope: String, Sendable, CaseIterable {
    /// Path and query string, exactly as sent (the API overview and CatFee's Go example). The default.
    case pathAndQuery = "path-and-query"
    /// The path only, without `?` and the query (the idempotency announcement).
    case path = "path"
}
