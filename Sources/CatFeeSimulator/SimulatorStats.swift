public import JSON

/// Counters of the API traffic, kept whether or not the request log is on (`GET /_sim/stats`); cheap enough for
/// benchmark runs of hundreds of thousands of requests.
public struct SimulatorStats: Sendable, Equatable {
    /// API requests answered (or dropped on purpose), control endpoints excluded.
    public var requests = 0
    /// Requests per HTTP status answered (0 for a dropped connection).
    public var requestsByStatus: [Int: Int] = [:]
    /// Requests that arrived while an earlier 429's `Retry-After` had not expired.
    public var requestsBeforeRetryAfter = 0
    /// Arrival of the first and the latest API request, real clock, epoch ms (0 before any).
    public var firstArrivalMs: Int64 = 0
    /// See ``firstArrivalMs``.
    public var lastArrivalMs: Int64 = 0
    /// Orders created.
    public var orders = 0
    /// The most charges any one `client_order_id` received (1 for a correct client).
    public var maxChargesPerClientOrderID = 0

    /// Empty counters.
    public init() {}

    /// Counts one request.
    mutating func record(arrivalRealMs: Int64, status: Int, beforeRetryAfter: Bool) {
        requests += 1
        requestsByStatus[status, default: 0] += 1
        if beforeRetryAfter { requestsBeforeRetryAfter += 1 }
        // Requests are counted when answered, so a slow early one may be counted after a fast later one.
        if firstArrivalMs == 0 || arrivalRealMs < firstArrivalMs { firstArrivalMs = arrivalRealMs }
        lastArrivalMs = max(lastArrivalMs, arrivalRealMs)
    }

    /// The JSON form served by `GET /_sim/stats`.
    public var json: JSONValue {
        .object([
            ("requests", .integer(requests)),
            (
                "requests_by_status",
                .object(requestsByStatus.sorted { $0.key < $1.key }.map { (String($0.key), .integer($0.value)) })
            ),
            ("requests_before_retry_after", .integer(requestsBeforeRetryAfter)),
            ("first_arrival_ms", .integer(firstArrivalMs)),
            ("last_arrival_ms", .integer(lastArrivalMs)),
            ("orders", .integer(orders)),
            ("max_charges_per_client_order_id", .integer(maxChargesPerClientOrderID)),
        ])
    }

    /// Parses the JSON form back; throws ``SimulatorError`` naming a missing or mistyped field.
    public init(json: JSONValue) throws {
        let fields = LedgerFields(json, "stats")
        requests = Int(try fields.integer("requests"))
        requestsBeforeRetryAfter = Int(try fields.integer("requests_before_retry_after"))
        firstArrivalMs = try fields.integer("first_arrival_ms")
        lastArrivalMs = try fields.integer("last_arrival_ms")
        orders = Int(try fields.integer("orders"))
        maxChargesPerClientOrderID = Int(try fields.integer("max_charges_per_client_order_id"))
        guard let byStatus = try fields.value("requests_by_status").objectMembers else {
            throw SimulatorError("stats: requests_by_status is not an object")
        }
        for (status, count) in byStatus {
            guard let code = Int(status), let count = count.integerValue else {
                throw SimulatorError("stats: requests_by_status has a bad entry \(status)")
            }
            requestsByStatus[code] = Int(count)
        }
    }
}
