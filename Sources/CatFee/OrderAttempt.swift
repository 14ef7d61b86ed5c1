/// The result of exactly one request sent (or attempted) by ``CatFeeClient/placeOrder(_:)``.
public struct OrderAttempt: Sendable {
    /// What the response means.
    public var outcome: OrderOutcome
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// Time from handing the request to the transport to its completion (gate waiting excluded).
    public var latency: Duration

    /// An attempt's outcome, status and latency.
    public init(outcome: OrderOutcome, httpStatus: Int?, latency: Duration) {
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.latency = latency
    }
}
