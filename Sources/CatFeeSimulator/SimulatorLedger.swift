public import JSON

/// A snapshot of what the simulator charged and saw.
public struct SimulatorLedger: Sendable {
    /// Orders created, in creation order.
    public var orders: [SimulatedOrder]
    /// How many times each `client_order_id` was charged; a correct client keeps every value at 1.
    public var chargesByClientOrderID: [String: Int]
    /// The account balance now, in sun.
    public var balanceSun: Int64
    /// The API requests, in arrival order (when logging is on).
    public var requests: [RequestLogEntry]

    /// A ledger with every field given.
    public init(
        orders: [SimulatedOrder], chargesByClientOrderID: [String: Int], balanceSun: Int64,
        requests: [RequestLogEntry]
    ) {
        self.orders = orders
        self.chargesByClientOrderID = chargesByClientOrderID
        self.balanceSun = balanceSun
        self.requests = requests
    }

    /// The JSON form served by `GET /_sim/ledger`.
    public var json: JSONValue {
        .object([
            ("balance_sun", .integer(balanceSun)),
            (
                "charges_by_client_order_id",
                .object(chargesByClientOrderID.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })
            ),
            ("orders", .array(orders.map(\.json))),
            ("requests", .array(requests.map(\.json))),
        ])
    }

    /// Parses the JSON form back; throws ``SimulatorError`` naming a missing or mistyped field.
    public init(json: JSONValue) throws {
        let fields = LedgerFields(json, "ledger")
        guard case .array(let orders) = try fields.value("orders"),
            case .array(let requests) = try fields.value("requests"),
            let charges = try fields.value("charges_by_client_order_id").objectMembers
        else { throw SimulatorError("ledger: orders, requests or charges_by_client_order_id mistyped") }
        var chargesByClientOrderID: [String: Int] = [:]
        for (id, count) in charges {
            guard let count = count.integerValue else { throw SimulatorError("ledger: charge count not an integer") }
            chargesByClientOrderID[id] = Int(count)
        }
        self.init(
            orders: try orders.map(SimulatedOrder.init(json:)), chargesByClientOrderID: chargesByClientOrderID,
            balanceSun: try fields.integer("balance_sun"), requests: try requests.map(RequestLogEntry.init(json:)))
    }
}
