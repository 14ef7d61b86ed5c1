import JSON

/// Everything the simulator changes while it runs; lives under the engine's mutex.
struct SimulatorState {
    /// The faults in force.
    var faults: SimulatorFaults
    /// The seeded generator for fault selection and ids.
    var random: SplitMix64
    /// The account balance, in sun.
    var balanceSun: Int64
    /// Orders, in creation order.
    var orders: [SimulatedOrder] = []
    /// Order index by order id.
    var orderIndexByID: [String: Int] = [:]
    /// Order index by client_order_id.
    var orderIndexByClientOrderID: [String: Int] = [:]
    /// Charge count per client_order_id.
    var chargesByClientOrderID: [String: Int] = [:]
    /// The request log.
    var requests: [RequestLogEntry] = []
    /// When the latest 429's Retry-After expires, real clock, epoch ms.
    var retryAfterDeadlineRealMs: Int64 = 0
    /// Tokens left in the `rateLimitPerSecond` bucket, and when it was last refilled (real clock, epoch ms; 0 before
    /// the first request, when the bucket starts full).
    var rateTokens: Double = 0
    /// See ``rateTokens``.
    var rateRefilledRealMs: Int64 = 0
    /// Traffic counters, kept with or without the request log.
    var stats = SimulatorStats()

    /// A fresh state: full balance, no orders, generator seeded from the faults.
    init(faults: SimulatorFaults, balanceSun: Int64) {
        self.faults = faults
        self.random = SplitMix64(seed: faults.seed)
        self.balanceSun = balanceSun
    }

    /// The ledger snapshot.
    var ledger: SimulatorLedger {
        SimulatorLedger(
            orders: orders, chargesByClientOrderID: chargesByClientOrderID, balanceSun: balanceSun, requests: requests)
    }

    /// The counters, with the order figures filled in.
    var statsSnapshot: SimulatorStats {
        var snapshot = stats
        snapshot.orders = orders.count
        snapshot.maxChargesPerClientOrderID = maxChargesPerClientOrderID
        return snapshot
    }

    /// The most charges any one `client_order_id` received.
    var maxChargesPerClientOrderID = 0

    /// Appends to the request log, dropping the oldest entries beyond `limit`.
    mutating func log(_ entry: RequestLogEntry, limit: Int) {
        requests.append(entry)
        if requests.count > limit { requests.removeFirst(requests.count - limit) }
    }
}
