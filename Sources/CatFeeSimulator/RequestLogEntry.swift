public import JSON

/// One API request as the simulator saw it and answered it.
public struct RequestLogEntry: Sendable {
    /// When the request line arrived, simulator clock, epoch ms.
    public var arrivalMs: Int64
    /// The HTTP method.
    public var method: String
    /// The request target exactly as it arrived (path and raw query).
    public var rawTarget: String
    /// The decoded `client_order_id` parameter, when there was one.
    public var clientOrderID: String?
    /// The HTTP status answered (0 when the connection was dropped without a response).
    public var httpStatus: Int
    /// What happened: `created`, `duplicate`, `rejected:<SUB_CODE>`, `auth:<reason>`, `fault:<kind>`, `bad-request`,
    /// `not-found`, `method-not-allowed`, `order`, `account`.
    public var outcome: String
    /// Whether the signature matched (false when the request was refused before it was checked).
    public var signatureValid: Bool
    /// Whether it arrived while an earlier 429's `Retry-After` had not yet expired.
    public var beforeRetryAfter: Bool

    /// An entry with every field given.
    public init(
        arrivalMs: Int64, method: String, rawTarget: String, clientOrderID: String?, httpStatus: Int,
        outcome: String, signatureValid: Bool, beforeRetryAfter: Bool
    ) {
        self.arrivalMs = arrivalMs
        self.method = method
        self.rawTarget = rawTarget
        self.clientOrderID = clientOrderID
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.signatureValid = signatureValid
        self.beforeRetryAfter = beforeRetryAfter
    }

    /// The ledger's JSON form.
    public var json: JSONValue {
        .object([
            ("arrival_ms", .integer(arrivalMs)),
            ("method", .string(method)),
            ("raw_target", .string(rawTarget)),
            ("client_order_id", clientOrderID.map(JSONValue.string) ?? .null),
            ("http_status", .integer(httpStatus)),
            ("outcome", .string(outcome)),
            ("signature_valid", .bool(signatureValid)),
            ("before_retry_after", .bool(beforeRetryAfter)),
        ])
    }

    /// Parses the ledger's JSON form; throws ``SimulatorError`` naming a missing or mistyped field.
    public init(json: JSONValue) throws {
        let fields = LedgerFields(json, "request")
        self.init(
            arrivalMs: try fields.integer("arrival_ms"), method: try fields.string("method"),
            rawTarget: try fields.string("raw_target"), clientOrderID: try fields.optionalString("client_order_id"),
            httpStatus: Int(try fields.integer("http_status")), outcome: try fields.string("outcome"),
            signatureValid: try fields.bool("signature_valid"), beforeRetryAfter: try fields.bool("before_retry_after"))
    }
}
