import CatFeeSimulator
import Foundation
import JSON
import Testing

@Suite struct AuthenticationTests {
    @Test func refusalsAre401AndChargeNothing() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "auth")
        let badSecret = try #require(TestSupport.signed(simulator, target: target, secret: "wrong"))
        #expect(badSecret.status == 401)
        #expect(badSecret.json["msg"]?.stringValue == "auth error:invalid signature")
        let wrongKey = try #require(TestSupport.signed(simulator, target: target, key: "other"))
        #expect(wrongKey.status == 401)
        #expect(wrongKey.json["code"]?.integerValue == 2)
        #expect(wrongKey.json["msg"]?.stringValue == "auth error:Invalid API Key")
        let late = try #require(
            TestSupport.signed(simulator, target: target, timestamp: TestSupport.timestamp(offsetMs: -6000)))
        #expect(late.status == 401)
        #expect(late.json["msg"]?.stringValue == "auth error:timestamp expired, out of the 5 second window")
        let malformed = try #require(TestSupport.signed(simulator, target: target, timestamp: "2023-08-26 12:34:56"))
        #expect(malformed.status == 401)
        #expect(malformed.json["msg"]?.stringValue == "auth error:invalid timestamp")
        #expect(simulator.ledger().orders.isEmpty)
        #expect(simulator.ledger().requests.allSatisfy { $0.outcome.hasPrefix("auth:") })
    }

    @Test func signatureCoversTheRawEncodedTarget() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let id = "a+b/c=d&e%25f"
        let target = TestSupport.orderTarget(clientOrderID: id)
        let decoded = try #require(target.removingPercentEncoding)
        let refused = try #require(TestSupport.signed(simulator, target: target, signedTarget: decoded))
        #expect(refused.status == 401)
        let accepted = try #require(TestSupport.signed(simulator, target: target))
        #expect(accepted.status == 200)
        #expect(accepted.json["data"]?["client_order_id"]?.stringValue == id)
        #expect(simulator.ledger().chargesByClientOrderID[id] == 1)
        #expect(simulator.ledger().requests.last?.rawTarget == target)
    }

    @Test func pathScopeAcceptsOnlyPathSignatures() throws {
        let simulator = try TestSupport.makeSimulator { $0.signatureScope = "path" }
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "scoped")
        let fullTarget = try #require(TestSupport.signed(simulator, target: target))
        #expect(fullTarget.status == 401)
        let pathOnly = try #require(TestSupport.signed(simulator, target: target, signedTarget: "/v1/order"))
        #expect(pathOnly.status == 200)
    }

    @Test func missingContentTypeOrABodyIsRefused() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "body")
        let timestamp = TestSupport.timestamp()
        let sign = SimulatorSigning.signature(
            secret: "sim-secret", timestamp: timestamp, method: "POST", target: target)
        let auth = [("CF-ACCESS-KEY", "sim-key"), ("CF-ACCESS-TIMESTAMP", timestamp), ("CF-ACCESS-SIGN", sign)]
        let noType = try #require(
            RawHTTPClient.send(port: simulator.port, method: "POST", target: target, headers: auth))
        #expect(noType.status == 400)
        let withBody = try #require(
            RawHTTPClient.send(
                port: simulator.port, method: "POST", target: target,
                headers: auth + [("Content-Type", "application/json")], body: Array("{}".utf8)))
        #expect(withBody.status == 400)
        #expect(simulator.ledger().orders.isEmpty)
    }
}
