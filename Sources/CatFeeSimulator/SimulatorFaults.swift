public import JSON

/// The faults the simulator injects; changeable at run time (``CatFeeSimulator/setFaults(_:)``, `POST /_sim/faults`).
public struct SimulatorFaults: Sendable, Hashable {
    /// Every API request sleeps this long before anything else.
    public var latencyMs: Int
    /// Plus a uniform extra delay in [0, latencyJitterMs].
    public var latencyJitterMs: Int
    /// Fraction of `POST /v1/order` answered 500 before processing (nothing charged).
    public var serverErrorRate: Double
    /// Fraction of new orders created and charged, then answered by closing the connection with no response.
    public var dropAfterChargeRate: Double
    /// After creating and charging an order, wait this long before answering.
    public var delayAfterCreateMs: Int
    /// `client_order_id` → extra delay in ms before processing ("slow keys").
    public var slowKeys: [String: Int]
    /// The next N API requests get 429 with `Retry-After`; decremented per refused request.
    public var rateLimitNext: Int
    /// The `Retry-After` of those 429 answers, in seconds.
    public var rateLimitRetryAfterSeconds: Int
    /// A sustained limit on API requests per second (a token bucket holding one second of requests), 0 for none;
    /// requests beyond it get 429 with a `Retry-After` of one second, as a real rate-limited API would answer.
    public var rateLimitPerSecond: Int
    /// The simulator's clock (timestamp window and `Date` header) runs this far ahead of real time.
    public var clockOffsetMs: Int
    /// Refuse every new order with `INSUFFICIENT_BALANCE` (also happens naturally when the balance is short).
    public var insufficientBalance: Bool
    /// Every request with the configured key gets 401 code 2 `auth error:Invalid API Key`.
    public var revokedKey: Bool
    /// Seed of the generator that selects faults and makes ids.
    public var seed: UInt64

    /// Faults with every parameter defaulted to "no fault".
    public init(
        latencyMs: Int = 0, latencyJitterMs: Int = 0, serverErrorRate: Double = 0, dropAfterChargeRate: Double = 0,
        delayAfterCreateMs: Int = 0, slowKeys: [String: Int] = [:], rateLimitNext: Int = 0,
        rateLimitRetryAfterSeconds: Int = 1, rateLimitPerSecond: Int = 0, clockOffsetMs: Int = 0,
        insufficientBalance: Bool = false,
        revokedKey: Bool = false, seed: UInt64 = 42
    ) {
        self.latencyMs = latencyMs
        self.latencyJitterMs = latencyJitterMs
        self.serverErrorRate = serverErrorRate
        self.dropAfterChargeRate = dropAfterChargeRate
        self.delayAfterCreateMs = delayAfterCreateMs
        self.slowKeys = slowKeys
        self.rateLimitNext = rateLimitNext
        self.rateLimitRetryAfterSeconds = rateLimitRetryAfterSeconds
        self.rateLimitPerSecond = rateLimitPerSecond
        self.clockOffsetMs = clockOffsetMs
        self.insufficientBalance = insufficientBalance
        self.revokedKey = revokedKey
        self.seed = seed
    }

    /// Faults from their JSON form (every key optional, defaulted; unknown keys or wrong types throw).
    public init(json: JSONValue) throws {
        self.init()
        try apply(json: json)
    }

    /// Applies a partial update in JSON form: only the keys given change.
    ///
    /// Throws ``SimulatorError`` naming the key for an unknown key, a wrong type or a negative delay.
    public mutating func apply(json: JSONValue) throws {
        guard let members = json.objectMembers else { throw SimulatorError("faults must be a JSON object") }
        var updated = self
        for (key, value) in members {
            switch key {
            case "latency_ms": updated.latencyMs = try Self.nonNegative(value, key)
            case "latency_jitter_ms": updated.latencyJitterMs = try Self.nonNegative(value, key)
            case "server_error_rate": updated.serverErrorRate = try Self.rate(value, key)
            case "drop_after_charge_rate": updated.dropAfterChargeRate = try Self.rate(value, key)
            case "delay_after_create_ms": updated.delayAfterCreateMs = try Self.nonNegative(value, key)
            case "slow_keys":
                guard let entries = value.objectMembers else { throw SimulatorError("slow_keys must be an object") }
                var slowKeys: [String: Int] = [:]
                for (id, delay) in entries { slowKeys[id] = try Self.nonNegative(delay, "slow_keys.\(id)") }
                updated.slowKeys = slowKeys
            case "rate_limit_next": updated.rateLimitNext = try Self.nonNegative(value, key)
            case "rate_limit_retry_after_seconds": updated.rateLimitRetryAfterSeconds = try Self.nonNegative(value, key)
            case "rate_limit_per_second": updated.rateLimitPerSecond = try Self.nonNegative(value, key)
            case "clock_offset_ms":
                guard let offset = value.integerValue else { throw SimulatorError("\(key) must be an integer") }
                updated.clockOffsetMs = Int(offset)
            case "insufficient_balance": updated.insufficientBalance = try Self.boolean(value, key)
            case "revoked_key": updated.revokedKey = try Self.boolean(value, key)
            case "seed":
                guard case .number(let literal) = value, let seed = UInt64(literal) else {
                    throw SimulatorError("seed must be a non-negative integer")
                }
                updated.seed = seed
            default: throw SimulatorError("unknown fault key \(key)")
            }
        }
        self = updated
    }

    /// The JSON form, with snake_case keys.
    public var json: JSONValue {
        .object([
            ("latency_ms", .integer(latencyMs)),
            ("latency_jitter_ms", .integer(latencyJitterMs)),
            ("server_error_rate", .number(String(serverErrorRate))),
            ("drop_after_charge_rate", .number(String(dropAfterChargeRate))),
            ("delay_after_create_ms", .integer(delayAfterCreateMs)),
            ("slow_keys", .object(slowKeys.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("rate_limit_next", .integer(rateLimitNext)),
            ("rate_limit_retry_after_seconds", .integer(rateLimitRetryAfterSeconds)),
            ("rate_limit_per_second", .integer(rateLimitPerSecond)),
            ("clock_offset_ms", .integer(clockOffsetMs)),
            ("insufficient_balance", .bool(insufficientBalance)),
            ("revoked_key", .bool(revokedKey)),
            ("seed", .integer(seed)),
        ])
    }

    private static func nonNegative(_ value: JSONValue, _ key: String) throws -> Int {
        guard let number = value.integerValue, number >= 0, number <= Int64(Int32.max) else {
            throw SimulatorError("\(key) must be a non-negative integer")
        }
        return Int(number)
    }

    private static func rate(_ value: JSONValue, _ key: String) throws -> Double {
        guard let rate = value.doubleValue, rate >= 0, rate <= 1 else {
            throw SimulatorError("\(key) must be a number between 0 and 1")
        }
        return rate
    }

    private static func boolean(_ value: JSONValue, _ key: String) throws -> Bool {
        guard let flag = value.boolValue else { throw SimulatorError("\(key) must be a boolean") }
        return flag
    }
}
