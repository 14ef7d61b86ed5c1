public import JSON

/// An order the simulator created and charged.
public struct SimulatedOrder: Sendable {
    /// The order id (a UUID string, generated from the seed).
    public var id: String
    /// The idempotency key it was created with, if any.
    public var clientOrderID: String?
    /// The TRON address that received the energy.
    public var receiver: String
    /// The energy quantity.
    public var quantity: Int64
    /// The requested duration, as sent (`1h`).
    public var duration: String
    /// The `activate` flag as requested (true when absent).
    public var activate: Bool
    /// The amount charged for the energy, in sun.
    public var payAmountSun: Int64
    /// When it was created, simulator clock, epoch ms.
    public var createdAtMs: Int64
    /// Exactly what `POST /v1/order` returned in `data`.
    public var data: JSONValue

    /// An order with every field given.
    public init(
        id: String, clientOrderID: String?, receiver: String, quantity: Int64, duration: String, activate: Bool,
        payAmountSun: Int64, createdAtMs: Int64, data: JSONValue
    ) {
        self.id = id
        self.clientOrderID = clientOrderID
        self.receiver = receiver
        self.quantity = quantity
        self.duration = duration
        self.activate = activate
        self.payAmountSun = payAmountSun
        self.createdAtMs = createdAtMs
        self.data = data
    }

    /// The ledger's JSON form.
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("client_order_id", clientOrderID.map(JSONValue.string) ?? .null),
            ("receiver", .string(receiver)),
            ("quantity", .integer(quantity)),
            ("duration", .string(duration)),
            ("activate", .bool(activate)),
            ("pay_amount_sun", .integer(payAmountSun)),
            ("created_at_ms", .integer(createdAtMs)),
            ("data", data),
        ])
    }

    /// Parses the ledger's JSON form; throws ``SimulatorError`` naming a missing or mistyped field.
    public init(json: JSONValue) throws {
        let fields = LedgerFields(json, "order")
        self.init(
            id: try fields.string("id"), clientOrderID: try fields.optionalString("client_order_id"),
            receiver: try fields.string("receiver"), quantity: try fields.integer("quantity"),
            duration: try fields.string("duration"), activate: try fields.bool("activate"),
            payAmountSun: try fields.integer("pay_amount_sun"), createdAtMs: try fields.integer("created_at_ms"),
            data: try fields.value("data"))
    }
}
