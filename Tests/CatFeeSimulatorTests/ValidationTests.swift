import CatFeeSimulator
import JSON
import Testing

@Suite struct ValidationTests {
    @Test(arguments: [
        (TestSupport.orderTarget(quantity: "64999"), 200, "QUANTITY_TOO_LOW"),
        (TestSupport.orderTarget(quantity: "5000001"), 200, "QUANTITY_TOO_HIGH"),
        (TestSupport.orderTarget(quantity: "65000.0"), 400, "INVALID_PARAMETER"),
        (TestSupport.orderTarget(receiver: badChecksumAddress()), 200, "INVALID_ADDRESS"),
        (TestSupport.orderTarget(duration: "2h"), 400, "INVALID_PARAMETER"),
        (TestSupport.orderTarget(extra: [("color", "red")]), 400, "INVALID_PARAMETER"),
        (TestSupport.orderTarget(clientOrderID: String(repeating: "k", count: 65)), 400, "INVALID_PARAMETER"),
        (TestSupport.orderTarget(extra: [("activate", "yes")]), 400, "INVALID_PARAMETER"),
        ("/v1/order?quantity=65000&duration=1h", 400, "INVALID_PARAMETER"),
        (TestSupport.orderTarget() + "&client_order_id=bad%zz", 400, "INVALID_PARAMETER"),
    ])
    func refusesInvalidOrders(target: String, status: Int, subCode: String) throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let response = try #require(TestSupport.signed(simulator, target: target))
        #expect(response.status == status)
        #expect(response.json["sub_code"]?.stringValue == subCode)
        #expect(response.json["code"]?.integerValue != 0)
        #expect(simulator.ledger().orders.isEmpty)
        #expect(simulator.ledger().balanceSun == 1_000_000_000_000)
    }

    @Test func clientOrderIDOf64CharactersIsAccepted() throws {
        let simulator = try TestSupport.makeSimulator()
        defer { simulator.stop() }
        let response = try #require(
            TestSupport.signed(
                simulator, target: TestSupport.orderTarget(clientOrderID: String(repeating: "k", count: 64))))
        #expect(response.json["code"]?.integerValue == 0)
    }

    @Test func tronAddressesRoundTrip() {
        let address = TestSupport.address(3)
        #expect(address.count == 34)
        #expect(address.hasPrefix("T"))
        #expect(TronAddress.isValid(address))
        #expect(!TronAddress.isValid(badChecksumAddress()))
        #expect(!TronAddress.isValid("T" + String(address.dropFirst(2))))
        #expect(TronAddress.isValid("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"))  // the USDT contract
    }
}

/// A well-formed address with its last character changed, so the checksum no longer matches.
private func badChecksumAddress() -> String {
    let address = TestSupport.address(5)
    let last = address.last == "A" ? "B" : "A"
    return String(address.dropLast()) + last
}
