public import JSON

/// What one `POST /v1/order` response means; decided in one place, ``OrderOutcomeClassifier``.
public enum OrderOutcome: Sendable, Hashable {
    /// CatFee returned an order: `order` is its `data` object exactly as received; `duplicate` when it already existed.
    case ordered(order: JSONValue, duplicate: Bool)
    /// A permanent per-intent refusal (HTTP 400, a business refusal, or a `client_order_id_conflict`).
    case rejected(APIRefusal)
    /// Retry with the same `client_order_id`, after a backoff.
    case transient(TransientFailure)
    /// Account-wide: bad key or signature, wrong base URL, insufficient balance. Pause, do not reject.
    case accountBlocked(AccountProblem)
    /// HTTP 401 caused by the timestamp window: the local clock (or its server estimate) is off.
    case clockSkew(message: String)
}
