/// The result of exactly one request sent (or attempted) by ``CatFeeClient/placeOrder(_:)``.
public struct OrderAttempt: Sendable {
    /// What the response means.
    public var outcome: OrderOutcome
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// Time from handing the request to the transport to its completion (gate waiting excluded).
    public var latency: Duration
    /// Requests actually sent on a connection: 0 when none could be made (connection refused, cancelled before
    /// sending), 2 when libcurl re-sent the request after a reused keep-alive connection died unanswered.
    public var requestsSent: Int

    /// An attempt's outcome, status, latency and the number of requests it sent.
    public init(outcome: OrderOutcome, httpStatus: Int?, latency: Duration, requestsSent: Int = 1) {
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.latency = latency
        self.requestsSent = requestsSent
    }
}
