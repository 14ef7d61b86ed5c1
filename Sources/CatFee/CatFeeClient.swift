import Foundation
public import JSON

/// The signed CatFee REST client: one per process, shared by every task.
///
/// Each call waits at the process-wide ``RequestGate`` (concurrency, rate, 429 hold-off), sends exactly one request
/// on the libcurl multi loop (connection reuse, no URL normalization), and classifies the answer with
/// ``OrderOutcomeClassifier``. It never retries: the caller counts and schedules attempts. Thread-safe.
public final class CatFeeClient: Sendable {
    private let configuration: CatFeeClientConfiguration
    private let baseURL: String
    private let signer: RequestSigner
    private let keyHeader: String
    private let loop: CurlMultiLoop
    /// The process-wide gate all requests of this client pass.
    public let gate: RequestGate
    /// The server clock estimate used for `CF-ACCESS-TIMESTAMP`, updated from every response's `Date`.
    public let clock: ServerClock

    /// A client for `configuration`; throws ``CatFeeConfigurationError`` for an unusable setting.
    public init(configuration: CatFeeClientConfiguration) throws {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("https://") || base.hasPrefix("http://"), !base.contains(where: \.isWhitespace) else {
            throw CatFeeConfigurationError(setting: "CATFEE_BASE_URL", reason: "must be an http:// or https:// URL")
        }
        let key = configuration.credentials.apiKey
        guard !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
            throw CatFeeConfigurationError(setting: "CATFEE_API_KEY", reason: "must be non-empty printable ASCII")
        }
        guard !configuration.credentials.apiSecret.isEmpty else {
            throw CatFeeConfigurationError(setting: "CATFEE_API_SECRET", reason: "must not be empty")
        }
        guard configuration.maxConcurrentRequests >= 1 else {
            throw CatFeeConfigurationError(setting: "maxConcurrentRequests", reason: "must be at least 1")
        }
        if let rate = configuration.maxRequestsPerSecond, !(rate > 0 && rate.isFinite) {
            throw CatFeeConfigurationError(setting: "maxRequestsPerSecond", reason: "must be a positive number")
        }
        guard configuration.connectTimeout > .zero, configuration.requestTimeout > .zero else {
            throw CatFeeConfigurationError(setting: "timeouts", reason: "must be positive")
        }
        guard let loop = CurlMultiLoop(maxConnections: configuration.maxConcurrentRequests) else {
            throw CatFeeConfigurationError(setting: "libcurl", reason: "could not create a multi handle")
        }
        self.configuration = configuration
        self.baseURL = base
        self.signer = RequestSigner(secret: configuration.credentials.apiSecret, scope: configuration.signatureScope)
        self.keyHeader = "CF-ACCESS-KEY: " + key
        self.loop = loop
        self.gate = RequestGate(
            maxConcurrentRequests: configuration.maxConcurrentRequests,
            maxRequestsPerSecond: configuration.maxRequestsPerSecond)
        self.clock = ServerClock()
    }

    deinit {
        loop.shutdown()
    }

    /// Sends exactly one `POST {requestTarget}` (no body) and classifies the answer.
    ///
    /// Waits for the gate first; if the task is cancelled while waiting, nothing is sent and the outcome is
    /// `.transient(.network("cancelled before sending"))` with a nil status. A 429 holds every caller of this client
    /// off until its Retry-After (1 s when absent) plus 50 to 550 ms of jitter.
    public func placeOrder(_ request: OrderRequest) async -> OrderAttempt {
        let target = request.requestTarget
        let exchange = await send(method: "POST", target: target)
        guard let exchange else {
            return OrderAttempt(
                outcome: .transient(.network("cancelled before sending")), httpStatus: nil, latency: .zero,
                requestsSent: 0)
        }
        let outcome = OrderOutcomeClassifier.classify(
            request: request, result: exchange.result, sentTimestamp: exchange.timestamp, receivedAt: exchange.end)
        if case .transient(.rateLimited(let retryAfter)) = outcome {
            gate.holdOff(for: (retryAfter ?? .seconds(1)) + .milliseconds(Int64.random(in: 50...550)))
        }
        return OrderAttempt(
            outcome: outcome, httpStatus: exchange.status, latency: exchange.latency,
            requestsSent: exchange.requestsSent)
    }

    /// `GET /v1/order/{id}` (the id percent-encoded): the order's `data` object.
    public func order(id: String) async -> Result<JSONValue, CatFeeError> {
        await read(target: "/v1/order/" + PercentEncoding.encode(id), notFoundIsConfigFault: false)
    }

    /// `GET /v1/account`: the account's `data` object (with `balance` in sun).
    public func account() async -> Result<JSONValue, CatFeeError> {
        await read(target: "/v1/account", notFoundIsConfigFault: true)
    }

    /// Stops the transport: in-flight and later requests fail with `.network("client shut down")`. Idempotent.
    public func shutdown() {
        loop.shutdown()
    }

    // MARK: - Exchange

    private struct Exchange {
        var result: Result<CatFeeHTTPResponse, CatFeeTransportError>
        var timestamp: Date
        var end: Date
        var latency: Duration
        var requestsSent: Int
        var status: Int? {
            if case .success(let response) = result { return response.status }
            return nil
        }
    }

    private func read(target: String, notFoundIsConfigFault: Bool) async -> Result<JSONValue, CatFeeError> {
        guard let exchange = await send(method: "GET", target: target) else {
            return .failure(.transient(.network("cancelled before sending")))
        }
        let result = OrderOutcomeClassifier.classifyRead(
            result: exchange.result, sentTimestamp: exchange.timestamp, receivedAt: exchange.end,
            notFoundIsConfigFault: notFoundIsConfigFault)
        if case .failure(.transient(.rateLimited(let retryAfter))) = result {
            gate.holdOff(for: (retryAfter ?? .seconds(1)) + .milliseconds(Int64.random(in: 50...550)))
        }
        return result
    }

    /// Passes the gate, signs `method target` at the server clock's now, sends it, updates the clock from `Date`.
    private func send(method: String, target: String) async -> Exchange? {
        guard await gate.acquire() else { return nil }
        defer { gate.release() }
        let timestamp = clock.now()
        let timestampText = CatFeeTimestamp.string(from: timestamp)
        let signature = signer.signature(timestamp: timestampText, method: method, requestTarget: target)
        let headers = [
            "Content-Type: application/json", keyHeader, "CF-ACCESS-TIMESTAMP: " + timestampText,
            "CF-ACCESS-SIGN: " + signature,
        ]
        let start = Date()
        let started = ContinuousClock.now
        let (result, requestsSent) = await perform(method: method, url: baseURL + target, headers: headers)
        let latency = ContinuousClock.now - started
        let end = Date()
        if case .success(let response) = result, let date = response.header("Date").flatMap(HTTPDate.parse) {
            clock.observe(serverDate: date, requestStart: start, responseEnd: end)
        }
        return Exchange(
            result: result, timestamp: timestamp, end: end, latency: latency, requestsSent: requestsSent)
    }

    private func perform(method: String, url: String, headers: [String]) async -> (
        Result<CatFeeHTTPResponse, CatFeeTransportError>, Int
    ) {
        await withCheckedContinuation { continuation in
            let transfer = CurlTransfer(
                method: method, url: url, headers: headers, userAgent: configuration.userAgent,
                connectTimeout: configuration.connectTimeout, requestTimeout: configuration.requestTimeout
            ) { result, requestsSent in
                continuation.resume(returning: (result, requestsSent))
            }
            guard let transfer else {
                continuation.resume(returning: (.failure(.network("could not create a libcurl handle")), 0))
                return
            }
            if !loop.submit(transfer) {
                transfer.fail(.network("client shut down"))
            }
        }
    }
}
