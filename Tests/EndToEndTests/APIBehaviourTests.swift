import CatFee
import CatFeeSimulator
import Foundation
import JSON
import Kafka
import Testing
import Worker

/// One end-to-end test per row of issue 4's classification table: the fault is injected in the simulator and the
/// exact outcome is checked (charges per client_order_id, result status, error code, attempts, offsets).
@Suite(.serialized) struct APIBehaviourTests {
    static func intents(_ count: Int, prefix: String, quantity: Int64 = 65_000) -> [Harness.Outgoing] {
        (0..<count).map { number in
            .init(
                key: Array("\(prefix)-\(number)".utf8),
                value: Harness.intentValue(receiver: Harness.receiver(number), quantity: quantity))
        }
    }

    static func keys(_ count: Int, prefix: String) -> Set<String> { Set((0..<count).map { "\(prefix)-\($0)" }) }

    /// Runs a worker until every offset is committed, then stops it.
    static func runToCompletion(
        _ harness: Harness, _ overrides: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws {
        let worker = try harness.startInProcessWorker(overrides)
        let done = try await harness.waitUntilAllCommitted(timeout: timeout)
        try await worker.stop()
        #expect(done, "the worker did not finish in time")
    }

    /// Row 1: 5xx before processing → retried with the same client_order_id; never REJECTED.
    @Test func serverErrorsAreRetriedAndNeverRejected() async throws {
        let harness = try Harness { $0.faults.serverErrorRate = 0.5 }
        try await harness.publish(Self.intents(40, prefix: "e5xx"))
        try await Self.runToCompletion(harness)
        let results = try await harness.results()
        #expect(results.count == 40)
        #expect(results.allSatisfy { $0.status == "ORDERED" })
        let ledger = harness.simulator.ledger()
        for key in Self.keys(40, prefix: "e5xx") {
            #expect(ledger.chargesByClientOrderID[key] == 1)
            let requests = ledger.requests.filter { $0.clientOrderID == key }
            let result = try #require(results.first { $0.key == key })
            #expect(result.attempts == Int64(requests.count), "attempts counts every request sent for \(key)")
            #expect(requests.dropLast().allSatisfy { $0.httpStatus == 500 })
        }
        #expect(results.contains { $0.attempts > 1 }, "some intents needed a retry")
        try await harness.checkInvariants(expectedKeys: Self.keys(40, prefix: "e5xx"), deadLetterCount: 0)
    }

    /// Row 1: connection refused (the API is down at first) → retried until it comes up.
    @Test func connectionRefusedIsRetriedUntilTheAPIComesUp() async throws {
        let harness = try Harness()
        let port = try Self.freePort()
        try await harness.publish(Self.intents(10, prefix: "down"))
        let worker = try harness.startInProcessWorker(["CATFEE_BASE_URL": "http://127.0.0.1:\(port)"])
        let health = try #require(await Self.waitForHealthPort(worker))
        var refused = 0.0
        for _ in 0..<200 where refused < 20 {
            let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(health)/metrics").body
            refused = HTTPGet.metric(metrics, "catfee_api_retries_total{reason=\"network\"}") ?? 0
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(refused >= 20, "every intent met connection refused at least twice")
        #expect(try await harness.results().isEmpty, "nothing can be ordered while the API is down")
        var configuration = SimulatorConfiguration()
        configuration.apiKey = Harness.apiKey
        configuration.apiSecret = Harness.apiSecret
        configuration.port = port
        let lateSimulator = try CatFeeSimulator(configuration: configuration)
        defer { lateSimulator.stop() }
        let done = try await harness.waitUntilAllCommitted()
        try await worker.stop()
        #expect(done)
        let results = try await harness.results()
        #expect(results.count == 10)
        for result in results {
            #expect(result.status == "ORDERED")
            #expect(!result.duplicate)
            // A refused connection sends nothing: attempts counts requests that reached a connection.
            #expect(result.attempts == 1, "\(result.key): \(result.attempts) requests sent")
        }
        let ledger = lateSimulator.ledger()
        #expect(
            ledger.chargesByClientOrderID
                == Dictionary(uniqueKeysWithValues: Self.keys(10, prefix: "down").map { ($0, 1) }))
    }

    /// Row 2: 429 → wait at least Retry-After, process-wide; never REJECTED.
    @Test func rateLimitedRequestsWaitForRetryAfter() async throws {
        let harness = try Harness {
            $0.faults.rateLimitNext = 2
            $0.faults.rateLimitRetryAfterSeconds = 1
        }
        try await harness.publish(Self.intents(6, prefix: "r429"))
        let start = ContinuousClock.now
        try await Self.runToCompletion(harness, ["MAX_IN_FLIGHT": "2"])
        #expect(ContinuousClock.now - start >= .seconds(2), "two Retry-After: 1 waits")
        let results = try await harness.results()
        #expect(results.count == 6)
        #expect(results.allSatisfy { $0.status == "ORDERED" })
        let ledger = harness.simulator.ledger()
        #expect(ledger.requests.filter { $0.httpStatus == 429 }.count == 2)
        // Requests already on the wire when a 429 was answered may arrive just after it; every request sent after
        // the worker saw it must wait out the Retry-After (1 s).
        let refusals = ledger.requests.filter { $0.httpStatus == 429 }.map(\.arrivalMs)
        let early = ledger.requests.filter { request in
            refusals.contains { request.arrivalMs >= $0 + 100 && request.arrivalMs < $0 + 1000 }
        }
        #expect(
            early.isEmpty, "requests arrived before Retry-After expired: \(early.map(\.arrivalMs)) after \(refusals)")
        for key in Self.keys(6, prefix: "r429") { #expect(ledger.chargesByClientOrderID[key] == 1) }
    }

    /// Row 3: the order is created and charged, then the connection drops → retry → duplicate → ORDERED.
    @Test func lostResponseCompletesAsDuplicate() async throws {
        let harness = try Harness { $0.faults.dropAfterChargeRate = 1 }
        try await harness.publish(Self.intents(8, prefix: "lost"))
        try await Self.runToCompletion(harness)
        let results = try await harness.results()
        #expect(results.count == 8)
        for result in results {
            #expect(result.status == "ORDERED")
            #expect(result.duplicate, "the second answer is the duplicate one")
            #expect(result.attempts == 2)
            #expect(result.orderID != nil)
        }
        let ledger = harness.simulator.ledger()
        for key in Self.keys(8, prefix: "lost") { #expect(ledger.chargesByClientOrderID[key] == 1) }
        #expect(Set(ledger.orders.map(\.id)) == Set(results.compactMap(\.orderID)))
    }

    /// Row 3: created, then answered too late (client timeout) → retry → duplicate.
    @Test func slowAnswerAfterCreateTimesOutAndCompletesAsDuplicate() async throws {
        let harness = try Harness { $0.faults.delayAfterCreateMs = 1500 }
        try await harness.publish(Self.intents(4, prefix: "slow"))
        try await Self.runToCompletion(harness, ["CATFEE_REQUEST_TIMEOUT_MS": "500"])
        let results = try await harness.results()
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0.status == "ORDERED" && $0.duplicate && $0.attempts >= 2 })
        let ledger = harness.simulator.ledger()
        for key in Self.keys(4, prefix: "slow") { #expect(ledger.chargesByClientOrderID[key] == 1) }
    }

    /// Row 4: a per-intent business refusal → one request, REJECTED with the API's code.
    @Test func businessRefusalIsRejectedAfterOneRequest() async throws {
        let unactivated = Harness.receiver(999)
        let harness = try Harness { $0.unactivatedReceivers = [unactivated] }
        try await harness.publish([
            .init(
                key: Array("too-high".utf8),
                value: Harness.intentValue(receiver: Harness.receiver(1), quantity: 9_000_000)),
            .init(
                key: Array("not-activated".utf8),
                value: Array(#"{"receiver":"\#(unactivated)","quantity":65000,"activate":false}"#.utf8)),
            .init(key: Array("fine".utf8), value: Harness.intentValue(receiver: Harness.receiver(2))),
        ])
        try await Self.runToCompletion(harness)
        let results = Dictionary(uniqueKeysWithValues: try await harness.results().map { ($0.key, $0) })
        #expect(results["too-high"]?.status == "REJECTED")
        #expect(results["too-high"]?.errorSource == "api")
        #expect(results["too-high"]?.errorCode == "QUANTITY_TOO_HIGH")
        #expect(results["too-high"]?.attempts == 1)
        #expect(results["not-activated"]?.errorCode == "ADDRESS_NOT_ACTIVATED")
        #expect(results["not-activated"]?.attempts == 1)
        #expect(results["fine"]?.status == "ORDERED")
        let ledger = harness.simulator.ledger()
        #expect(ledger.chargesByClientOrderID == ["fine": 1])
        #expect(ledger.requests.filter { $0.clientOrderID == "too-high" }.count == 1)
    }

    /// Row 5: the same client_order_id with another receiver → REJECTED client_order_id_conflict.
    @Test func conflictingReuseOfAnIDIsRejected() async throws {
        let harness = try Harness()
        try await harness.publish([
            .init(key: Array("shared-id".utf8), value: Harness.intentValue(receiver: Harness.receiver(1))),
            .init(key: Array("shared-id".utf8), value: Harness.intentValue(receiver: Harness.receiver(2))),
            .init(
                key: Array("shared-id".utf8),
                value: Harness.intentValue(receiver: Harness.receiver(1), quantity: 70_000)),
        ])
        try await Self.runToCompletion(harness)
        let results = try await harness.results().sorted { $0.sourceOffset < $1.sourceOffset }
        #expect(results.map(\.status) == ["ORDERED", "REJECTED", "REJECTED"])
        #expect(
            results.dropFirst().allSatisfy { $0.errorCode == "client_order_id_conflict" && $0.errorSource == "api" })
        #expect(harness.simulator.ledger().chargesByClientOrderID == ["shared-id": 1])
    }

    /// Row 6: a revoked key → consumption pauses, readiness false, nothing rejected or lost; resumes by itself.
    @Test func revokedKeyPausesWithoutBurningTheBacklog() async throws {
        try await Self.checkAccountWideRefusal(reason: "unauthorized") { $0.revokedKey = $1 }
    }

    /// Row 6: insufficient balance behaves the same way.
    @Test func insufficientBalancePausesWithoutBurningTheBacklog() async throws {
        try await Self.checkAccountWideRefusal(reason: "insufficient_balance") { $0.insufficientBalance = $1 }
    }

    static func checkAccountWideRefusal(
        reason: String, _ fault: @escaping @Sendable (inout SimulatorFaults, Bool) -> Void
    ) async throws {
        let harness = try Harness()
        harness.simulator.updateFaults { fault(&$0, true) }
        try await harness.publish(Self.intents(30, prefix: "acct"))
        let worker = try harness.startInProcessWorker([
            "ACCOUNT_PROBE_INITIAL_MS": "200", "ACCOUNT_PROBE_MAX_MS": "400", "MAX_IN_FLIGHT": "8",
        ])
        // Blocked: readiness goes false with the reason, the metric says why, nothing is rejected.
        var ready = (status: 0, body: "")
        let port = try #require(await Self.waitForHealthPort(worker))
        for _ in 0..<100 {
            ready = try await HTTPGet.fetch("http://127.0.0.1:\(port)/readyz")
            if ready.body.contains("CatFee account blocked") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(ready.status == 503)
        #expect(ready.body.contains("CatFee account blocked"))
        try await Task.sleep(for: .seconds(1.5))
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(port)/metrics").body
        #expect(HTTPGet.metric(metrics, "catfee_account_blocked{reason=\"\(reason)\"}") == 1)
        #expect(try await harness.results().isEmpty, "no intent is burned while the account is blocked")
        let blockedRequests = harness.simulator.ledger().requests.count
        #expect(blockedRequests < 20, "only a probe calls the API while blocked, got \(blockedRequests) requests")
        // The account works again: the backlog completes on its own.
        harness.simulator.updateFaults { fault(&$0, false) }
        let done = try await harness.waitUntilAllCommitted()
        let readyAfter = try await HTTPGet.fetch("http://127.0.0.1:\(port)/readyz")
        try await worker.stop()
        #expect(done)
        #expect(readyAfter.status == 200)
        let results = try await harness.results()
        #expect(results.count == 30)
        #expect(results.allSatisfy { $0.status == "ORDERED" })
        let ledger = harness.simulator.ledger()
        for key in Self.keys(30, prefix: "acct") { #expect(ledger.chargesByClientOrderID[key] == 1) }
    }

    /// Row 7: a timestamp outside the window → the clock is re-estimated and the request retried at once.
    @Test func clockSkewIsCorrectedAndRetriedOnce() async throws {
        let harness = try Harness { $0.faults.clockOffsetMs = 10_000 }
        try await harness.publish(Self.intents(5, prefix: "skew"))
        try await Self.runToCompletion(harness, ["MAX_IN_FLIGHT": "1"])
        let results = try await harness.results().sorted { $0.sourceOffset < $1.sourceOffset }
        #expect(results.count == 5)
        #expect(results.allSatisfy { $0.status == "ORDERED" })
        let ledger = harness.simulator.ledger()
        let refused = ledger.requests.filter { $0.httpStatus == 401 }
        #expect(refused.count == 1, "only the first request meets the skew; the clock estimate fixes the rest")
        #expect(results.map(\.attempts).reduce(0, +) == 6)
        for key in Self.keys(5, prefix: "skew") { #expect(ledger.chargesByClientOrderID[key] == 1) }
    }

    /// The process-wide request rate limit spaces requests out.
    @Test func processWideRateLimitSpacesRequests() async throws {
        let harness = try Harness()
        try await harness.publish(Self.intents(30, prefix: "rate"))
        try await Self.runToCompletion(harness, ["CATFEE_MAX_REQUESTS_PER_SECOND": "20"])
        let arrivals = harness.simulator.ledger().requests.map(\.arrivalMs).sorted()
        #expect(arrivals.count == 30)
        let span = Double(arrivals.last! - arrivals.first!) / 1000
        #expect(span >= 29.0 / 20 * 0.9, "30 requests at 20/s take about 1.45 s, took \(span) s")
    }

    /// failure-cases.md 10: keys whose percent-encoding matters are signed exactly as sent, in both scopes.
    @Test(arguments: ["path-and-query", "path"])
    func keysThatNeedEncodingAreSignedAsSent(scope: String) async throws {
        let harness = try Harness { $0.signatureScope = scope }
        let keys = [
            "a+b", "c/d=e", "f&g", "h%20i", "j~k.l_m-n", "o?p#q", "r!*'()s", "t:u;v@w,x$y[z]", "\"quote\"{}|^`\\",
        ]
        try await harness.publish(
            keys.enumerated().map { number, key in
                .init(key: Array(key.utf8), value: Harness.intentValue(receiver: Harness.receiver(number)))
            })
        try await Self.runToCompletion(harness, ["CATFEE_SIGNATURE_SCOPE": scope])
        let results = try await harness.results()
        #expect(Set(results.map(\.key)) == Set(keys))
        #expect(results.allSatisfy { $0.status == "ORDERED" && $0.attempts == 1 })
        let ledger = harness.simulator.ledger()
        #expect(ledger.requests.allSatisfy { $0.signatureValid })
        #expect(ledger.chargesByClientOrderID == Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) }))
    }

    /// failure-cases.md 10: a wrong secret is a configuration fault: the worker stops consuming and says so
    /// instead of failing or retrying every message; a worker with the right secret then does the backlog.
    @Test func wrongSecretStopsConsumingWithoutBurningIntents() async throws {
        let harness = try Harness()
        try await harness.publish(Self.intents(20, prefix: "sig"))
        let wrong = try harness.startInProcessWorker([
            "CATFEE_API_SECRET": "not-the-secret", "MAX_IN_FLIGHT": "4", "ACCOUNT_PROBE_INITIAL_MS": "300",
            "ACCOUNT_PROBE_MAX_MS": "600",
        ])
        let port = try #require(await Self.waitForHealthPort(wrong))
        var ready = (status: 0, body: "")
        for _ in 0..<100 {
            ready = try await HTTPGet.fetch("http://127.0.0.1:\(port)/readyz")
            if ready.body.contains("CatFee account blocked") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(1))
        let stopping = ContinuousClock.now
        try await wrong.stop()
        #expect(ContinuousClock.now - stopping < .seconds(5), "a blocked account does not hold the shutdown")
        #expect(ready.status == 503)
        #expect(ready.body.contains("unauthorized"))
        #expect(!ready.body.contains("not-the-secret"))
        #expect(try await harness.results().isEmpty)
        let refused = harness.simulator.ledger().requests
        #expect(refused.allSatisfy { $0.httpStatus == 401 && !$0.signatureValid })
        #expect(refused.count < 15, "only probes while blocked, got \(refused.count)")
        // At most the MAX_IN_FLIGHT intents that started together meet the refusal; then one probes, the rest wait.
        #expect(Set(refused.compactMap(\.clientOrderID)).count <= 4, "only the first in-flight intents were tried")
        try await Self.runToCompletion(harness)
        #expect(try await harness.results().count == 20)
        #expect(harness.simulator.ledger().chargesByClientOrderID.count == 20)
        try await harness.checkInvariants(expectedKeys: Self.keys(20, prefix: "sig"), deadLetterCount: 0)
    }

    // MARK: - Helpers

    static func waitForHealthPort(_ worker: InProcessWorker) async -> UInt16? {
        for _ in 0..<100 {
            if let port = worker.service.boundHealthPort { return port }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    static func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }
}
