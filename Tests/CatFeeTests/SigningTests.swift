import CatFee
import Testing

@Suite struct RequestSignerTests {
    // Expected values computed independently:
    // python3 -c 'import hmac,hashlib,base64;print(base64.b64encode(hmac.new(b"test-secret",
    //   b"2023-08-26T12:34:56.789ZPOST/v1/order?quantity=65000&receiver=TRON_ADDRESS&duration=1h",
    //   hashlib.sha256).digest()).decode())'   (and the same with the message variants below)
    @Test func signsPathAndQuery() {
        let signer = RequestSigner(secret: "test-secret", scope: .pathAndQuery)
        let signature = signer.signature(
            timestamp: "2023-08-26T12:34:56.789Z", method: "POST",
            requestTarget: "/v1/order?quantity=65000&receiver=TRON_ADDRESS&duration=1h")
        #expect(signature == "4M88VxlHNjz/8gfHVY5wIJ4qnIK9Hs0hrRIlfo8U05c=")
    }

    @Test func pathScopeSignsPathOnly() {
        let signer = RequestSigner(secret: "test-secret", scope: .path)
        let signature = signer.signature(
            timestamp: "2023-08-26T12:34:56.789Z", method: "POST",
            requestTarget: "/v1/order?quantity=65000&receiver=TRON_ADDRESS&duration=1h")
        // message "2023-08-26T12:34:56.789ZPOST/v1/order"
        #expect(signature == "d1jEA8tu3WaSSEJxKhC5/udiXrGCHNZQPlPquvd4TUg=")
    }

    @Test func signsEncodedQueryAsSent() {
        let request = OrderRequest(clientOrderID: "a+b/c=d&e%f g~", receiver: "TRON_ADDRESS", quantity: 65000)
        let signer = RequestSigner(secret: "test-secret", scope: .pathAndQuery)
        let signature = signer.signature(
            timestamp: "2023-08-26T12:34:56.789Z", method: "POST", requestTarget: request.requestTarget)
        // message "...POST/v1/order?quantity=65000&receiver=TRON_ADDRESS&duration=1h&client_order_id=a%2Bb%2Fc%3Dd%26e%25f%20g~"
        #expect(signature == "32YFq7FdinxPi2tQOhRVx8ppx3ppOtXfW9Fy+tEuT8I=")
    }
}

@Suite struct PercentEncodingTests {
    @Test(arguments: [
        ("+", "%2B"), ("/", "%2F"), ("=", "%3D"), ("&", "%26"), ("%", "%25"), (" ", "%20"), ("~", "~"),
        ("é", "%C3%A9"), ("AZaz09-._~", "AZaz09-._~"), ("?#[]@!$'()*,;:", "%3F%23%5B%5D%40%21%24%27%28%29%2A%2C%3B%3A"),
    ])
    func encodes(input: String, expected: String) {
        #expect(PercentEncoding.encode(input) == expected)
    }
}

@Suite struct OrderRequestTests {
    @Test func buildsTargetInDocumentedOrder() {
        let request = OrderRequest(clientOrderID: "id-1", receiver: "TXYZ", quantity: 65000, duration: "1h")
        #expect(request.requestTarget == "/v1/order?quantity=65000&receiver=TXYZ&duration=1h&client_order_id=id-1")
    }

    @Test(arguments: [(true, "&activate=true"), (false, "&activate=false")])
    func appendsActivateWhenSet(activate: Bool, suffix: String) {
        let request = OrderRequest(clientOrderID: "k", receiver: "T", quantity: 70000, activate: activate)
        #expect(request.requestTarget.hasSuffix("&client_order_id=k" + suffix))
    }

    @Test func encodesClientOrderID() {
        let request = OrderRequest(clientOrderID: "a+b/c=d&e%f g~", receiver: "T", quantity: 65000)
        #expect(request.requestTarget.hasSuffix("&client_order_id=a%2Bb%2Fc%3Dd%26e%25f%20g~"))
    }
}

@Suite struct CatFeeCredentialsTests {
    @Test func descriptionsMaskKeyAndSecret() {
        let credentials = CatFeeCredentials(apiKey: "abcdef123456", apiSecret: "super-secret-value")
        for text in [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
        ] {
            #expect(!text.contains("super-secret-value"))
            #expect(!text.contains("abcdef123456"))
            #expect(text.contains("ab…(redacted)"))
        }
    }
}
