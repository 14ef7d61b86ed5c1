/// How a ``CatFeeSimulator`` listens, which credentials it accepts and how its account behaves.
public struct SimulatorConfiguration: Sendable {
    /// The IPv4 address to listen on.
    public var host: String
    /// The port to listen on; 0 picks an ephemeral port (read it back from ``CatFeeSimulator/port``).
    public var port: UInt16
    /// The only API key accepted (`CF-ACCESS-KEY`).
    public var apiKey: String
    /// The HMAC secret requests must be signed with.
    public var apiSecret: String
    /// The one signing scheme accepted: `path-and-query` (the raw target) or `path` (the raw path before `?`).
    public var signatureScope: String
    /// The account balance at start and after ``CatFeeSimulator/reset()``, in sun.
    public var initialBalanceSun: Int64
    /// Price of one unit of energy: `pay_amount_sun = quantity * priceSunPerEnergy`.
    public var priceSunPerEnergy: Int64
    /// Largest quantity accepted; above it orders are refused with `QUANTITY_TOO_HIGH`.
    public var maxQuantity: Int64
    /// Receivers that are not activated on chain: refused with `activate=false`, charged activation otherwise.
    public var unactivatedReceivers: Set<String>
    /// The faults in force at start.
    public var faults: SimulatorFaults
    /// Whether API requests are kept in the request log.
    public var logRequests: Bool
    /// Bound on the request log; older entries are dropped beyond it.
    public var maxLoggedRequests: Int

    /// A configuration; every parameter has a default.
    public init(
        host: String = "127.0.0.1", port: UInt16 = 0, apiKey: String = "sim-key", apiSecret: String = "sim-secret",
        signatureScope: String = "path-and-query", initialBalanceSun: Int64 = 1_000_000_000_000,
        priceSunPerEnergy: Int64 = 90, maxQuantity: Int64 = 5_000_000, unactivatedReceivers: Set<String> = [],
        faults: SimulatorFaults = .init(), logRequests: Bool = true, maxLoggedRequests: Int = 1_000_000
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.signatureScope = signatureScope
        self.initialBalanceSun = initialBalanceSun
        self.priceSunPerEnergy = priceSunPerEnergy
        self.maxQuantity = maxQuantity
        self.unactivatedReceivers = unactivatedReceivers
        self.faults = faults
        self.logRequests = logRequests
        self.maxLoggedRequests = maxLoggedRequests
    }

    /// The command-line flags, one per line.
    public static var usage: String {
        """
        --port N                      listen port (0 = ephemeral, default 0)
        --host H                      listen address (default 127.0.0.1)
        --api-key K                   accepted API key (default sim-key)
        --api-secret S                signing secret (default sim-secret)
        --signature-scope X           path-and-query | path (default path-and-query)
        --balance-sun N               initial balance in sun
        --price-sun N                 price per energy unit in sun (default 90)
        --max-quantity N              largest quantity accepted (default 5000000)
        --unactivated-receiver A      a receiver that is not activated (repeatable)
        --latency-ms N                latency of every API request
        --latency-jitter-ms N         uniform extra latency
        --server-error-rate F         fraction of orders answered 500 before processing
        --drop-after-charge-rate F    fraction of orders charged, then dropped without response
        --delay-after-create-ms N     delay between charging and answering
        --slow-key ID=MS              extra delay for one client_order_id (repeatable)
        --rate-limit-next N           the next N requests get 429
        --rate-limit-retry-after S    Retry-After of those 429s, seconds (default 1)
        --rate-limit-per-second N     sustained request limit (token bucket of one second), 429 beyond it
        --clock-offset-ms N           simulator clock offset
        --insufficient-balance        refuse orders with INSUFFICIENT_BALANCE
        --revoked-key                 refuse the API key
        --seed N                      fault and id generator seed (default 42)
        --no-request-log              keep no request log (GET /_sim/stats still counts; for long runs)
        """
    }

    /// Parses the flags of ``usage``; throws ``SimulatorError`` naming the flag at fault.
    public static func parse(arguments: [String]) throws -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            func value() throws -> String {
                guard let next = remaining.popFirst() else { throw SimulatorError("\(flag) needs a value") }
                return next
            }
            func integer<T: FixedWidthInteger>(_ type: T.Type = T.self) throws -> T {
                let text = try value()
                guard let number = T(text) else { throw SimulatorError("\(flag): \(text) is not a valid integer") }
                return number
            }
            func nonNegative() throws -> Int {
                let number: Int = try integer()
                guard number >= 0 else { throw SimulatorError("\(flag) must not be negative") }
                return number
            }
            func rate() throws -> Double {
                let text = try value()
                guard let rate = Double(text), rate >= 0, rate <= 1 else {
                    throw SimulatorError("\(flag): \(text) is not a number between 0 and 1")
                }
                return rate
            }
            switch flag {
            case "--port": configuration.port = try integer()
            case "--host": configuration.host = try value()
            case "--api-key": configuration.apiKey = try value()
            case "--api-secret": configuration.apiSecret = try value()
            case "--signature-scope":
                let scope = try value()
                guard scope == "path-and-query" || scope == "path" else {
                    throw SimulatorError("--signature-scope must be path-and-query or path, not \(scope)")
                }
                configuration.signatureScope = scope
            case "--balance-sun": configuration.initialBalanceSun = try integer()
            case "--price-sun": configuration.priceSunPerEnergy = try integer()
            case "--max-quantity": configuration.maxQuantity = try integer()
            case "--unactivated-receiver": configuration.unactivatedReceivers.insert(try value())
            case "--latency-ms": configuration.faults.latencyMs = try nonNegative()
            case "--latency-jitter-ms": configuration.faults.latencyJitterMs = try nonNegative()
            case "--server-error-rate": configuration.faults.serverErrorRate = try rate()
            case "--drop-after-charge-rate": configuration.faults.dropAfterChargeRate = try rate()
            case "--delay-after-create-ms": configuration.faults.delayAfterCreateMs = try nonNegative()
            case "--slow-key":
                let text = try value()
                guard let equals = text.lastIndex(of: "="), let delay = Int(text[text.index(after: equals)...]),
                    delay >= 0
                else { throw SimulatorError("--slow-key must be ID=MS, not \(text)") }
                configuration.faults.slowKeys[String(text[..<equals])] = delay
            case "--rate-limit-next": configuration.faults.rateLimitNext = try nonNegative()
            case "--rate-limit-retry-after": configuration.faults.rateLimitRetryAfterSeconds = try nonNegative()
            case "--rate-limit-per-second": configuration.faults.rateLimitPerSecond = try nonNegative()
            case "--no-request-log": configuration.logRequests = false
            case "--clock-offset-ms": configuration.faults.clockOffsetMs = try integer()
            case "--insufficient-balance": configuration.faults.insufficientBalance = true
            case "--revoked-key": configuration.faults.revokedKey = true
            case "--seed": configuration.faults.seed = try integer()
            default: throw SimulatorError("unknown flag \(flag)")
            }
        }
        return configuration
    }
}
