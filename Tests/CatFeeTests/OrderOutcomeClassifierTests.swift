import CatFee
import Foundation
import JSON
import Testing

@Suite struct OrderOutcomeClassifierTests {
    @Test func transportErrors() {
        #expect(classify(.failure(.network("reset"))) == .transient(.network("reset")))
        #expect(classify(.failure(.timeout)) == .transient(.timeout))
    }

    @Test(arguments: [500, 502, 503, 504, 409])
    func serverErrorsAreTransient(status: Int) {
        guard case .transient(.server(let got, _)) = classify(response(status, "{\"code\":1,\"msg\":\"busy\"}")) else {
            Issue.record("not transient.server")
            return
        }
        #expect(got == status)
    }

    @Test func rateLimitedCarriesRetryAfter() {
        let outcome = classify(.success(CatFeeHTTPResponse(status: 429, headers: [("retry-after", "3")], body: [])))
        #expect(outcome == .transient(.rateLimited(retryAfter: .seconds(3))))
        #expect(classify(response(429, "")) == .transient(.rateLimited(retryAfter: nil)))
    }

    @Test(arguments: ["Timestamp expired", "request time window exceeded", "TIMESTAMP invalid"])
    func unauthorizedTimestampIsClockSkew(message: String) {
        let outcome = classify(response(401, "{\"code\":401,\"msg\":\"\(message)\"}"))
        #expect(outcome == .clockSkew(message: message))
    }

    @Test func unauthorizedWithSkewedDateIsClockSkew() {
        let date = HTTPDate.string(from: sent.addingTimeInterval(30))
        let outcome = classify(
            .success(CatFeeHTTPResponse(status: 401, headers: [("Date", date)], body: Array("{\"code\":2}".utf8))))
        guard case .clockSkew = outcome else {
            Issue.record("expected clockSkew, got \(outcome)")
            return
        }
    }

    @Test func unauthorizedSignatureIsAccountBlocked() {
        let date = HTTPDate.string(from: sent)
        let body = Array("{\"code\":2,\"msg\":\"invalid signature\"}".utf8)
        let outcome = classify(.success(CatFeeHTTPResponse(status: 401, headers: [("Date", date)], body: body)))
        #expect(outcome == .accountBlocked(.unauthorized(code: "2", message: "invalid signature")))
    }

    @Test(arguments: [
        (
            "{\"code\":400,\"msg\":\"bad\",\"sub_code\":\"INVALID_ADDRESS\",\"sub_msg\":\"bad address\"}",
            "INVALID_ADDRESS"
        ),
        ("{\"code\":400,\"msg\":\"bad\",\"sub_code\":\"SUCCESS\"}", "400"),
        ("not json", "http_400"),
    ])
    func badRequestIsRejected(body: String, code: String) {
        guard case .rejected(let refusal) = classify(response(400, body)) else {
            Issue.record("not rejected")
            return
        }
        #expect(refusal.code == code)
        #expect(refusal.httpStatus == 400)
    }

    @Test func notFoundIsConfigurationFault() {
        let outcome = classify(response(404, "<html>nope</html>"))
        #expect(
            outcome
                == .accountBlocked(
                    .unauthorized(code: "http_404", message: "endpoint not found: check CATFEE_BASE_URL")))
    }

    @Test func orderedNewAndDuplicate() throws {
        let fresh = classify(response(200, envelope(subCode: "SUCCESS", subMsg: "")))
        let order = try JSONParser.parse(orderJSON)
        #expect(fresh == .ordered(order: order, duplicate: false))
        let duplicate = classify(
            response(200, envelope(subCode: "SUCCESS", subMsg: "Duplicate order request, returning existing order")))
        #expect(duplicate == .ordered(order: order, duplicate: true))
    }

    @Test func orderKeepsDataExactlyAsReceived() {
        guard case .ordered(let order, _) = classify(response(200, envelope(subCode: "", subMsg: ""))) else {
            Issue.record("not ordered")
            return
        }
        #expect(String(decoding: order.serialized(), as: UTF8.self) == orderJSON)
    }

    @Test(arguments: [
        OrderRequest(clientOrderID: "k", receiver: "TOTHER", quantity: 65000),
        OrderRequest(clientOrderID: "k", receiver: "TRECEIVER", quantity: 70000),
    ])
    func conflictingOrderIsRejected(request: OrderRequest) {
        let outcome = OrderOutcomeClassifier.classify(
            request: request, result: response(200, envelope(subCode: "SUCCESS", subMsg: "Duplicate")),
            sentTimestamp: sent)
        guard case .rejected(let refusal) = outcome else {
            Issue.record("not rejected: \(outcome)")
            return
        }
        #expect(refusal.code == "client_order_id_conflict")
        #expect(refusal.httpStatus == 200)
        #expect(refusal.message.contains("order 1f0e"))
    }

    @Test func quantityAsStringIsCompared() {
        let body = "{\"code\":0,\"data\":{\"id\":\"x\",\"receiver\":\"TRECEIVER\",\"quantity\":\"65000\"}}"
        guard case .ordered = classify(response(200, body)) else {
            Issue.record("numeric string quantity should match")
            return
        }
    }

    @Test(arguments: [
        "{\"code\":1,\"msg\":\"fail\",\"sub_code\":\"INSUFFICIENT_BALANCE\",\"sub_msg\":\"no money\"}",
        "{\"code\":7,\"msg\":\"Insufficient balance\"}",
        "{\"code\":7,\"msg\":\"balance not enough\"}",
    ])
    func insufficientBalanceIsAccountWide(body: String) {
        guard case .accountBlocked(.insufficientBalance) = classify(response(200, body)) else {
            Issue.record("not insufficientBalance")
            return
        }
    }

    @Test func authErrorIsAccountWide() {
        let outcome = classify(response(200, "{\"code\":2,\"msg\":\"auth error:Invalid API Key\"}"))
        #expect(outcome == .accountBlocked(.unauthorized(code: "2", message: "auth error:Invalid API Key")))
    }

    @Test(arguments: [
        ("{\"code\":1,\"msg\":\"fail\",\"sub_code\":\"QUANTITY_TOO_LOW\",\"sub_msg\":\"too low\"}", "QUANTITY_TOO_LOW"),
        ("{\"code\":13,\"msg\":\"address not activated\"}", "13"),
    ])
    func businessRefusalIsRejected(body: String, code: String) {
        guard case .rejected(let refusal) = classify(response(200, body)) else {
            Issue.record("not rejected")
            return
        }
        #expect(refusal.code == code)
        #expect(refusal.httpStatus == 200)
    }

    @Test(arguments: ["", "{", "[1]", "{\"msg\":\"no code\"}", "{\"code\":0}"])
    func malformedSuccessIsTransient(body: String) {
        guard case .transient(.malformedResponse) = classify(response(200, body)) else {
            Issue.record("not malformed")
            return
        }
    }

    // MARK: - Helpers

    let sent = Date(timeIntervalSince1970: 1_693_053_296)
    let request = OrderRequest(clientOrderID: "k", receiver: "TRECEIVER", quantity: 65000)
    let orderJSON =
        "{\"id\":\"1f0e\",\"client_order_id\":\"k\",\"receiver\":\"TRECEIVER\",\"quantity\":65000,\"extra\":1.50,\"x\":null}"

    func envelope(subCode: String, subMsg: String) -> String {
        "{\"code\":0,\"msg\":\"ok\",\"sub_code\":\"\(subCode)\",\"sub_msg\":\"\(subMsg)\",\"data\":\(orderJSON)}"
    }

    func response(_ status: Int, _ body: String) -> Result<CatFeeHTTPResponse, CatFeeTransportError> {
        .success(CatFeeHTTPResponse(status: status, body: Array(body.utf8)))
    }

    func classify(_ result: Result<CatFeeHTTPResponse, CatFeeTransportError>) -> OrderOutcome {
        OrderOutcomeClassifier.classify(request: request, result: result, sentTimestamp: sent)
    }
}
