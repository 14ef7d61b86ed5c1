import CatFeeSimulator
import Foundation
import JSON
import Testing

@Suite struct OrderTests {
    @Test func signedOrderIsCreatedAndChargedOnceThenDuplicated() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "order-1")
        let first = try #require(TestSupport.signed(simulator, target: target))
        #expect(first.status == 200)
        #expect(first.json["code"]?.integerValue == 0)
        #expect(first.json["sub_code"]?.stringValue == "SUCCESS")
        #expect(first.headers["content-type"] == "application/json")
        let id = try #require(first.json["data"]?["id"]?.stringValue)
        #expect(first.json["data"]?["pay_amount_sun"]?.integerValue == Int64(5_850_000))
        #expect(first.json["data"]?["duration"]?.integerValue == 60)

        let second = try #require(TestSupport.signed(simulator, target: target))
        #expect(second.json["code"]?.integerValue == 0)
        #expect(second.json["sub_msg"]?.stringValue == "Duplicate order request, returning existing order")
        #expect(second.json["data"] == first.json["data"])
        #expect(second.json["data"]?["id"]?.stringValue == id)

        let ledger = simulator.ledger()
        #expect(ledger.orders.count == 1)
        #expect(ledger.chargesByClientOrderID["order-1"] == 1)
        #expect(ledger.balanceSun == 1_000_000_000_000 - 65000 * 90)
        #expect(ledger.requests.map(\.outcome) == ["created", "duplicate"])
    }

    @Test func concurrentIdenticalRequestsChargeOnce() async throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let target = TestSupport.orderTarget(clientOrderID: "concurrent")
        let ids = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<20 {
                group.addTask { TestSupport.signed(simulator, target: target)?.json["data"]?["id"]?.stringValue }
            }
            var ids: [String?] = []
            for await id in group { ids.append(id) }
            return ids
        }
        #expect(Set(ids).count == 1)
        #expect(ids.allSatisfy { $0 != nil })
        #expect(simulator.ledger().chargesByClientOrderID["concurrent"] == 1)
        #expect(simulator.ledger().orders.count == 1)
    }

    @Test func orderCanBeReadBackAndAccountShowsBalance() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let created = try #require(TestSupport.signed(simulator, target: TestSupport.orderTarget(clientOrderID: "x")))
        let id = try #require(created.json["data"]?["id"]?.stringValue)
        let read = try #require(TestSupport.signed(simulator, method: "GET", target: "/v1/order/\(id)"))
        #expect(read.json["data"] == created.json["data"])
        let missing = try #require(TestSupport.signed(simulator, method: "GET", target: "/v1/order/nope"))
        #expect(missing.status == 404)
        let account = try #require(TestSupport.signed(simulator, method: "GET", target: "/v1/account"))
        #expect(account.json["data"]?["balance"]?.integerValue == simulator.ledger().balanceSun)
        let unknown = try #require(TestSupport.signed(simulator, method: "GET", target: "/v2/nothing"))
        #expect(unknown.status == 404)
        let wrongMethod = try #require(TestSupport.signed(simulator, method: "GET", target: "/v1/order"))
        #expect(wrongMethod.status == 405)
    }

    @Test func unactivatedReceiverIsRefusedWithoutActivateAndChargedActivationOtherwise() throws {
        let receiver = TestSupport.address(9)
        let simulator = try TestSupport.makeSimulator { $0.unactivatedReceivers = [receiver] }
        defer { simulator.stop() }
        let refused = try #require(
            TestSupport.signed(
                simulator,
                target: TestSupport.orderTarget(receiver: receiver, clientOrderID: "a", extra: [("activate", "false")]))
        )
        #expect(refused.json["sub_code"]?.stringValue == "ADDRESS_NOT_ACTIVATED")
        let accepted = try #require(
            TestSupport.signed(simulator, target: TestSupport.orderTarget(receiver: receiver, clientOrderID: "b")))
        #expect(accepted.json["data"]?["activate_amount_sun"]?.integerValue == 1_100_000)
        #expect(accepted.json["data"]?["activate_status"]?.stringValue == "ACTIVATE")
    }
}
