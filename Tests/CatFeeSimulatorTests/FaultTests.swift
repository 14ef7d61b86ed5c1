import CatFeeSimulator
import Foundation
import JSON
import Testing

@Suite struct FaultTests {
    @Test func serverErrorChargesNothing() throws {
        let simulator = try TestSupport.makeSimulator { $0.faults.serverErrorRate = 1 }
        defer { simulator.stop() }
        let response = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "e")))
        #expect(response.status == 500)
        #expect(simulator.ledger().orders.isEmpty)
        #expect(simulator.ledger().requests.last?.outcome == "fault:server-error")
    }

    @Test func dropAfterChargeChargesThenRetryIsDuplicate() throws {
        let simulator = try TestSupport.makeSimulator { $0.faults.dropAfterChargeRate = 1 }
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "dropped")
        #expect(TestSupport.signed(simulator, target: target) == nil)
        #expect(simulator.ledger().chargesByClientOrderID["dropped"] == 1)
        let retry = try #require(TestSupport.signed(simulator, target: target))
        #expect(retry.json["sub_msg"]?.stringValue == "Duplicate order request, returning existing order")
        #expect(simulator.ledger().chargesByClientOrderID["dropped"] == 1)
        #expect(simulator.ledger().requests.map(\.outcome) == ["fault:dropped-after-charge", "duplicate"])
    }

    @Test func rateLimitAnswers429WithRetryAfter() throws {
        let simulator = try TestSupport.makeSimulator {
            $0.faults.rateLimitNext = 2
            $0.faults.rateLimitRetryAfterSeconds = 2
        }
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "limited")
        for _ in 0..<2 {
            let limited = try #require(TestSupport.signed(simulator, target: target))
            #expect(limited.status == 429)
            #expect(limited.headers["retry-after"] == "2")
        }
        let accepted = try #require(TestSupport.signed(simulator, target: target))
        #expect(accepted.status == 200)
        let requests = simulator.ledger().requests
        #expect(requests.map(\.beforeRetryAfter) == [false, true, true])
        #expect(simulator.ledger().chargesByClientOrderID["limited"] == 1)
    }

    @Test func sustainedRateLimitRefusesBeyondTheBucketAndCountsIt() throws {
        let simulator = try TestSupport.makeSimulator {
            $0.faults.rateLimitPerSecond = 3
            $0.logRequests = false
        }
        defer { simulator.stop() }
        let statuses = try (0..<5).map { number in
            try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "r\(number)")))
                .status
        }
        // A full bucket of three, then refusals until it refills (1/3 s per token).
        #expect(statuses == [200, 200, 200, 429, 429])
        Thread.sleep(forTimeInterval: 0.4)
        let refilled = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "r5")))
        #expect(refilled.status == 200)
        let stats = simulator.stats()
        #expect(stats.requests == 6)
        #expect(stats.requestsByStatus == [200: 4, 429: 2])
        #expect(stats.orders == 4)
        #expect(stats.maxChargesPerClientOrderID == 1)
        #expect(stats.firstArrivalMs > 0 && stats.lastArrivalMs >= stats.firstArrivalMs)
        #expect(simulator.ledger().requests.isEmpty, "the request log is off")
        #expect(try SimulatorStats(json: stats.json) == stats)
    }

    @Test func clockOffsetRefusesLocalTimeAndShiftsDateHeader() throws {
        let simulator = try TestSupport.makeSimulator { $0.faults.clockOffsetMs = 10_000 }
        defer { simulator.stop() }
        let response = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget()))
        #expect(response.status == 401)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = try #require(response.headers["date"].flatMap(formatter.date(from:)))
        #expect(abs(date.timeIntervalSinceNow - 10) < 2)
        let shifted = try #require(
            TestSupport.signed(
                simulator, target: TestSupport.orderTarget(), timestamp: TestSupport.timestamp(offsetMs: 10_000)))
        #expect(shifted.status == 200)
    }

    @Test func insufficientBalanceRefusesAndChargesNothing() throws {
        let forced = try TestSupport.makeSimulator { $0.faults.insufficientBalance = true }
        defer { forced.stop() }
        let response = try #require(TestSupport.signed(forced, target: TestSupport.orderTarget(clientOrderID: "p")))
        #expect(response.status == 200)
        #expect(response.json["code"]?.integerValue == 10002)
        #expect(response.json["sub_code"]?.stringValue == "INSUFFICIENT_BALANCE")
        #expect(forced.ledger().orders.isEmpty)

        let poor = try TestSupport.makeSimulator { $0.initialBalanceSun = 100 }
        defer { poor.stop() }
        let natural = try #require(TestSupport.signed(poor, target: TestSupport.orderTarget(clientOrderID: "q")))
        #expect(natural.json["sub_code"]?.stringValue == "INSUFFICIENT_BALANCE")
        #expect(poor.ledger().balanceSun == 100)
    }

    @Test func revokedKeyIs401() throws {
        let simulator = try TestSupport.makeSimulator { $0.faults.revokedKey = true }
        defer { simulator.stop() }
        let response = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget()))
        #expect(response.status == 401)
        #expect(response.json["msg"]?.stringValue == "auth error:Invalid API Key")
        #expect(simulator.ledger().orders.isEmpty)
    }

    @Test func slowKeyDelaysOnlyThatKey() throws {
        let simulator = try TestSupport.makeSimulator { $0.faults.slowKeys = ["slow": 700] }
        defer { simulator.stop() }
        let fastStart = Date()
        _ = TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "fast"))
        #expect(Date().timeIntervalSince(fastStart) < 0.5)
        let slowStart = Date()
        let slow = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "slow")))
        #expect(Date().timeIntervalSince(slowStart) >= 0.7)
        #expect(slow.status == 200)
    }

    @Test func controlEndpointsChangeFaultsAndServeTheLedger() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let health = try #require(RawHTTPClient.send(port: simulator.port, method: "GET", target: "/_sim/health"))
        #expect(String(decoding: health.body, as: UTF8.self) == "ok")
        let update = try #require(
            RawHTTPClient.send(
                port: simulator.port, method: "POST", target: "/_sim/faults",
                body: Array(#"{"server_error_rate": 1}"#.utf8)))
        #expect(update.status == 200)
        #expect(simulator.faults.serverErrorRate == 1)
        let refused = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "c")))
        #expect(refused.status == 500)
        let unknownKey = try #require(
            RawHTTPClient.send(
                port: simulator.port, method: "POST", target: "/_sim/faults", body: Array(#"{"nope": 1}"#.utf8)))
        #expect(unknownKey.status == 400)
        simulator.updateFaults { $0.serverErrorRate = 0 }
        _ = TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "c"))

        let served = try #require(RawHTTPClient.send(port: simulator.port, method: "GET", target: "/_sim/ledger"))
        let ledger = try SimulatorLedger(json: served.json)
        #expect(ledger.orders.count == 1)
        #expect(ledger.orders.first?.data == simulator.ledger().orders.first?.data)
        #expect(ledger.chargesByClientOrderID == ["c": 1])
        #expect(ledger.requests.map(\.outcome) == ["fault:server-error", "created"])

        let reset = try #require(RawHTTPClient.send(port: simulator.port, method: "POST", target: "/_sim/reset"))
        #expect(reset.status == 200)
        #expect(simulator.ledger().orders.isEmpty)
        #expect(simulator.ledger().balanceSun == 1_000_000_000_000)
    }

    @Test func faultsJSONRoundTripsAndRejectsUnknownKeys() throws {
        let faults = SimulatorFaults(latencyMs: 5, slowKeys: ["k": 9], rateLimitNext: 3, clockOffsetMs: -20, seed: 7)
        #expect(try SimulatorFaults(json: faults.json) == faults)
        #expect(throws: SimulatorError.self) { try SimulatorFaults(json: ["bogus": 1]) }
    }

    @Test func configurationFlagsParseAndNameTheBadFlag() throws {
        let configuration = try SimulatorConfiguration.parse(arguments: [
            "--port", "8089", "--signature-scope", "path", "--server-error-rate", "0.5", "--revoked-key", "--seed", "9",
        ])
        #expect(configuration.port == 8089)
        #expect(configuration.signatureScope == "path")
        #expect(configuration.faults.serverErrorRate == 0.5)
        #expect(configuration.faults.revokedKey)
        #expect(configuration.faults.seed == 9)
        #expect(throws: SimulatorError.self) { try SimulatorConfiguration.parse(arguments: ["--latency-ms", "x"]) }
        do {
            _ = try SimulatorConfiguration.parse(arguments: ["--latency-ms", "x"])
        } catch let error as SimulatorError {
            #expect(error.reason.contains("--latency-ms"))
        }
    }

    @Test func takenPortIsAClearError() throws {
        let first = try TestSupport.makeSimulator()
        defer { first.stop() }
        #expect(throws: SimulatorError.self) { try TestSupport.makeSimulator { $0.port = first.port } }
        first.stop()
        first.stop()
    }
}
