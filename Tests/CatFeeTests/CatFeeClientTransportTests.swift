import CatFee
import Foundation
import JSON
import Testing

@Suite(.serialized) struct CatFeeClientTransportTests {
    @Test func sendsExactTargetHeadersAndVerifiableSignature() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200, headers: [], body: Self.okBody) }
        defer { server.stop() }
        let client = try makeClient(server)
        defer { client.shutdown() }
        let request = OrderRequest(clientOrderID: "a+b/c=d&e%f g~", receiver: "TRECEIVER", quantity: 65000)
        let attempt = await client.placeOrder(request)
        #expect(attempt.httpStatus == 200)
        guard case .ordered(let order, let duplicate) = attempt.outcome else {
            Issue.record("not ordered: \(attempt.outcome)")
            return
        }
        #expect(order["id"]?.stringValue == "o-1")
        #expect(!duplicate)

        let head = try #require(server.requests.first)
        let lines = head.components(separatedBy: "\r\n")
        let target =
            "/v1/order?quantity=65000&receiver=TRECEIVER&duration=1h&client_order_id=a%2Bb%2Fc%3Dd%26e%25f%20g~"
        #expect(lines[0] == "POST \(target) HTTP/1.1")
        let headers = Dictionary(
            lines.dropFirst().compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (
                    line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                )
            }, uniquingKeysWith: { $1 })
        #expect(headers["content-type"] == "application/json")
        #expect(headers["cf-access-key"] == "key-123")
        #expect(headers["content-length"] == "0")
        let timestamp = try #require(headers["cf-access-timestamp"])
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"))
        let expected = RequestSigner(secret: "s3cr3t", scope: .pathAndQuery)
            .signature(timestamp: timestamp, method: "POST", requestTarget: target)
        #expect(headers["cf-access-sign"] == expected)
    }

    @Test func dateHeaderUpdatesClock() async throws {
        let date = HTTPDate.string(from: Date().addingTimeInterval(120))
        let server = try LoopbackHTTPServer { _ in .respond(status: 200, headers: ["Date: \(date)"], body: Self.okBody)
        }
        defer { server.stop() }
        let client = try makeClient(server)
        defer { client.shutdown() }
        _ = await client.placeOrder(Self.request)
        let offset = client.clock.offset
        #expect(offset > .seconds(118) && offset < .seconds(121))
    }

    @Test func droppedConnectionIsNetworkFailure() async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        defer { server.stop() }
        let client = try makeClient(server)
        defer { client.shutdown() }
        let attempt = await client.placeOrder(Self.request)
        guard case .transient(.network) = attempt.outcome else {
            Issue.record("expected network failure, got \(attempt.outcome)")
            return
        }
        #expect(attempt.httpStatus == nil)
    }

    @Test func slowServerTimesOut() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 200, headers: [], body: Self.okBody, delay: .seconds(3))
        }
        defer { server.stop() }
        let client = try makeClient(server, requestTimeout: .milliseconds(500))
        defer { client.shutdown() }
        let start = ContinuousClock.now
        let attempt = await client.placeOrder(Self.request)
        #expect(attempt.outcome == .transient(.timeout))
        #expect(ContinuousClock.now - start < .milliseconds(1500))
    }

    @Test func rateLimitHoldsOffTheNextCall() async throws {
        let server = try LoopbackHTTPServer { index in
            index == 0
                ? .respond(status: 429, headers: ["Retry-After: 1"], body: "")
                : .respond(status: 200, headers: [], body: Self.okBody)
        }
        defer { server.stop() }
        let client = try makeClient(server)
        defer { client.shutdown() }
        let first = await client.placeOrder(Self.request)
        #expect(first.outcome == .transient(.rateLimited(retryAfter: .seconds(1))))
        let afterFirst = ContinuousClock.now
        let second = await client.placeOrder(Self.request)
        guard case .ordered = second.outcome else {
            Issue.record("second call not ordered: \(second.outcome)")
            return
        }
        let arrivals = server.arrivalTimes
        #expect(arrivals.count == 2)
        #expect(arrivals[1] - afterFirst >= .seconds(1))
    }

    @Test func readsAccount() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 200, headers: [], body: "{\"code\":0,\"msg\":\"ok\",\"data\":{\"balance\":123}}")
        }
        defer { server.stop() }
        let client = try makeClient(server)
        defer { client.shutdown() }
        let account = try await client.account().get()
        #expect(account["balance"]?.integerValue == 123)
        #expect(server.requests.first?.hasPrefix("GET /v1/account HTTP/1.1") == true)
    }

    @Test func reusesTheConnection() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200, headers: [], body: Self.okBody) }
        defer { server.stop() }
        let client = try makeClient(server)
        defer { client.shutdown() }
        for _ in 0..<5 { _ = await client.placeOrder(Self.request) }
        #expect(server.requests.count == 5)
        #expect(server.connectionCount == 1)
    }

    @Test func afterShutdownNothingIsSent() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200, headers: [], body: Self.okBody) }
        defer { server.stop() }
        let client = try makeClient(server)
        client.shutdown()
        let attempt = await client.placeOrder(Self.request)
        #expect(attempt.outcome == .transient(.network("client shut down")))
        #expect(server.requests.isEmpty)
    }

    @Test func rejectsBadConfiguration() {
        let credentials = CatFeeCredentials(apiKey: "k", apiSecret: "s")
        #expect(throws: CatFeeConfigurationError.self) {
            try CatFeeClient(configuration: CatFeeClientConfiguration(baseURL: "ftp://x", credentials: credentials))
        }
    }

    // MARK: - Helpers

    static let okBody =
        "{\"code\":0,\"msg\":\"ok\",\"sub_code\":\"SUCCESS\",\"sub_msg\":\"\",\"data\":{\"id\":\"o-1\",\"receiver\":\"TRECEIVER\",\"quantity\":65000}}"
    static let request = OrderRequest(clientOrderID: "k-1", receiver: "TRECEIVER", quantity: 65000)

    func makeClient(_ server: LoopbackHTTPServer, requestTimeout: Duration = .seconds(5)) throws -> CatFeeClient {
        try CatFeeClient(
            configuration: CatFeeClientConfiguration(
                baseURL: server.baseURL, credentials: CatFeeCredentials(apiKey: "key-123", apiSecret: "s3cr3t"),
                connectTimeout: .seconds(2), requestTimeout: requestTimeout))
    }
}
