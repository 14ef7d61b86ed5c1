import Foundation
import JSON
import Locking

/// What one API request produced, before it is logged.
struct APIOutcome {
    /// The answer.
    var response: SimulatorHTTPResponse
    /// The log outcome (`created`, `rejected:...`, ...).
    var outcome: String
}

extension SimulatorEngine {
    /// The `/v1/...` API: faults, routing, authentication, then the endpoint; every request is logged.
    func handleAPI(_ request: SimulatorHTTPRequest) -> SimulatorHTTPResponse {
        let (path, rawQuery) = Self.split(target: request.rawTarget)
        let parsed = Result { () throws(QueryString.Malformed) in try QueryString(raw: rawQuery) }
        let clientOrderID = try? parsed.get().parameters.last(where: { $0.name == "client_order_id" })?.value
        let (faults, beforeRetryAfter, jitter) = state.withLock { state in
            let jitter =
                state.faults.latencyJitterMs > 0
                ? Int(state.random.next() % UInt64(state.faults.latencyJitterMs + 1)) : 0
            return (state.faults, request.arrivalRealMs < state.retryAfterDeadlineRealMs, jitter)
        }
        let arrivalMs = request.arrivalRealMs + Int64(faults.clockOffsetMs)
        var signatureValid = false
        let result = process(
            request, path: path, parsed: parsed, faults: faults, jitter: jitter,
            clientOrderID: clientOrderID, arrivalMs: arrivalMs, signatureValid: &signatureValid)
        state.withLock {
            $0.stats.record(
                arrivalRealMs: request.arrivalRealMs, status: result.response.status, beforeRetryAfter: beforeRetryAfter
            )
        }
        if configuration.logRequests {
            let entry = RequestLogEntry(
                arrivalMs: arrivalMs, method: request.method, rawTarget: request.rawTarget,
                clientOrderID: clientOrderID,
                httpStatus: result.response.status, outcome: result.outcome, signatureValid: signatureValid,
                beforeRetryAfter: beforeRetryAfter)
            state.withLock { $0.log(entry, limit: configuration.maxLoggedRequests) }
        }
        return result.response
    }

    private func process(
        _ request: SimulatorHTTPRequest, path: Substring, parsed: Result<QueryString, QueryString.Malformed>,
        faults: SimulatorFaults, jitter: Int, clientOrderID: String?, arrivalMs: Int64, signatureValid: inout Bool
    ) -> APIOutcome {
        Self.sleep(milliseconds: faults.latencyMs + jitter + (clientOrderID.flatMap { faults.slowKeys[$0] } ?? 0))

        if let retryAfter = takeRateLimit() {
            return APIOutcome(
                response: .envelope(
                    429, code: 429, msg: "rate limit exceeded", subCode: "RATE_LIMITED",
                    subMsg: "too many requests, retry after \(retryAfter) s",
                    headers: [("Retry-After", "\(retryAfter)")]),
                outcome: "fault:rate-limited")
        }

        let route = Route(method: request.method, path: path)
        switch route {
        case .notFound:
            return APIOutcome(
                response: .envelope(404, code: 404, msg: "not found", subCode: "NOT_FOUND"), outcome: "not-found")
        case .methodNotAllowed:
            return APIOutcome(
                response: .envelope(405, code: 405, msg: "method not allowed", subCode: "METHOD_NOT_ALLOWED"),
                outcome: "method-not-allowed")
        default: break
        }

        let key = request.headers["cf-access-key"]
        if faults.revokedKey, key == configuration.apiKey {
            return Self.authError("Invalid API Key", outcome: "auth:revoked-key")
        }
        signatureValid = verifySignature(request, path: path)
        guard key == configuration.apiKey else { return Self.authError("Invalid API Key", outcome: "auth:invalid-key") }
        guard let timestampText = request.headers["cf-access-timestamp"],
            let timestamp = SimulatorClock.parseTimestamp(timestampText)
        else { return Self.authError("invalid timestamp", outcome: "auth:invalid-timestamp") }
        guard abs(timestamp - arrivalMs) <= 5000 else {
            return Self.authError("timestamp expired, out of the 5 second window", outcome: "auth:timestamp-expired")
        }
        guard signatureValid else { return Self.authError("invalid signature", outcome: "auth:invalid-signature") }

        // The media type without parameters and surrounding white space (no Foundation: this runs on every request).
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let contentType = request.headers["content-type"]?.split(separator: ";").first
            .map { String(String($0.drop(while: isSpace).reversed()).drop(while: isSpace).reversed()).lowercased() }
        guard contentType == "application/json" else {
            return Self.badRequest("Content-Type must be application/json")
        }
        guard request.body.isEmpty else { return Self.badRequest("requests carry no body; parameters go in the query") }
        let query: QueryString
        switch parsed {
        case .success(let value): query = value
        case .failure(let malformed): return Self.badRequest(malformed.reason)
        }

        switch route {
        case .createOrder:
            if state.withLock({ $0.random.happens(rate: faults.serverErrorRate) }) {
                return APIOutcome(
                    response: .envelope(
                        500, code: 500, msg: "internal server error", subCode: "SYSTEM_ERROR",
                        subMsg: "temporary problem, retry in a few seconds"),
                    outcome: "fault:server-error")
            }
            return createOrder(query: query, arrivalMs: arrivalMs, faults: faults)
        case .getOrder(let id):
            guard query.parameters.isEmpty else {
                return Self.badRequest("unknown parameter \(query.parameters[0].name)")
            }
            guard let order = state.withLock({ state in state.orderIndexByID[id].map { state.orders[$0] } }) else {
                return APIOutcome(
                    response: .envelope(404, code: 404, msg: "order not found", subCode: "ORDER_NOT_FOUND"),
                    outcome: "not-found")
            }
            return APIOutcome(
                response: .envelope(200, code: 0, msg: "success", subCode: "SUCCESS", data: order.data),
                outcome: "order")
        case .account:
            guard query.parameters.isEmpty else {
                return Self.badRequest("unknown parameter \(query.parameters[0].name)")
            }
            let data = state.withLock { state in
                JSONValue.object([
                    ("balance", .integer(state.balanceSun)),
                    ("email", "simulator@catfee.invalid"),
                    ("order_count", .integer(state.orders.count)),
                    ("total_pay_amount_sun", .integer(state.orders.reduce(0) { $0 + $1.payAmountSun })),
                ])
            }
            return APIOutcome(
                response: .envelope(200, code: 0, msg: "success", subCode: "SUCCESS", data: data), outcome: "account")
        case .notFound, .methodNotAllowed:
            preconditionFailure("handled above")
        }
    }

    /// Consumes one `rateLimitNext`, or one token of the `rateLimitPerSecond` bucket; returns the Retry-After
    /// seconds when this request is refused.
    private func takeRateLimit() -> Int? {
        state.withLock { state in
            let now = SimulatorClock.realNowMs()
            let seconds: Int
            if state.faults.rateLimitNext > 0 {
                state.faults.rateLimitNext -= 1
                seconds = state.faults.rateLimitRetryAfterSeconds
            } else if state.faults.rateLimitPerSecond > 0 {
                let rate = Double(state.faults.rateLimitPerSecond)
                let elapsed = state.rateRefilledRealMs == 0 ? 1000 : now - state.rateRefilledRealMs
                state.rateTokens = min(rate, state.rateTokens + Double(elapsed) * rate / 1000)
                state.rateRefilledRealMs = now
                guard state.rateTokens < 1 else {
                    state.rateTokens -= 1
                    return nil
                }
                seconds = 1
            } else {
                return nil
            }
            state.retryAfterDeadlineRealMs = max(state.retryAfterDeadlineRealMs, now + Int64(seconds) * 1000)
            return seconds
        }
    }

    /// Whether `CF-ACCESS-SIGN` matches the configured scope over the raw bytes of the target.
    private func verifySignature(_ request: SimulatorHTTPRequest, path: Substring) -> Bool {
        guard let sign = request.headers["cf-access-sign"], let timestamp = request.headers["cf-access-timestamp"]
        else { return false }
        let signedPart = configuration.signatureScope == "path" ? String(path) : request.rawTarget
        let expected = SimulatorSigning.signature(
            secret: configuration.apiSecret, timestamp: timestamp, method: request.method, target: signedPart)
        return SimulatorSigning.constantTimeEquals(Array(expected.utf8), Array(sign.utf8))
    }

    /// Splits a raw target into path and raw query (without `?` and fragment).
    static func split(target: String) -> (path: Substring, query: Substring) {
        let withoutFragment = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let question = withoutFragment.firstIndex(of: "?") else { return (withoutFragment, "") }
        return (withoutFragment[..<question], withoutFragment[withoutFragment.index(after: question)...])
    }

    /// A 401 envelope, code 2.
    static func authError(_ reason: String, outcome: String) -> APIOutcome {
        APIOutcome(
            response: .envelope(401, code: 2, msg: "auth error:\(reason)", subCode: "AUTH_ERROR", subMsg: reason),
            outcome: outcome)
    }

    /// A 400 envelope, code 1.
    static func badRequest(_ reason: String) -> APIOutcome {
        APIOutcome(
            response: .envelope(400, code: 1, msg: reason, subCode: "INVALID_PARAMETER", subMsg: reason),
            outcome: "bad-request")
    }
}

/// Which endpoint a method and path address.
enum Route: Equatable {
    /// `POST /v1/order`.
    case createOrder
    /// `GET /v1/order/{id}`.
    case getOrder(String)
    /// `GET /v1/account`.
    case account
    /// No such path.
    case notFound
    /// The path exists, the method does not.
    case methodNotAllowed

    /// The route of `method` on `path`.
    init(method: String, path: Substring) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        switch segments.count {
        case 3 where path == "/v1/order": self = method == "POST" ? .createOrder : .methodNotAllowed
        case 3 where path == "/v1/account": self = method == "GET" ? .account : .methodNotAllowed
        case 4 where segments[1] == "v1" && segments[2] == "order" && !segments[3].isEmpty:
            self = method == "GET" ? .getOrder(String(segments[3])) : .methodNotAllowed
        default: self = .notFound
        }
    }
}
