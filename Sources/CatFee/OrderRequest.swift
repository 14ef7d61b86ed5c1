/// One `POST /v1/order` call: what to buy, for whom, under which idempotency key.
public struct OrderRequest: Sendable, Hashable {
    /// The idempotency key (`client_order_id`), sent percent-encoded.
    public var clientOrderID: String
    /// The TRON address that receives the energy.
    public var receiver: String
    /// Energy quantity (at least 65000).
    public var quantity: Int64
    /// Rental duration, e.g. `1h`.
    public var duration: String
    /// CatFee's `activate` parameter; nil leaves it out (the API default is true).
    public var activate: Bool?

    /// An order request; `duration` defaults to `1h` and `activate` is left out unless given.
    public init(
        clientOrderID: String, receiver: String, quantity: Int64, duration: String = "1h", activate: Bool? = nil
    ) {
        self.clientOrderID = clientOrderID
        self.receiver = receiver
        self.quantity = quantity
        self.duration = duration
        self.activate = activate
    }

    /// The request target: `/v1/order?quantity=…&receiver=…&duration=…&client_order_id=…[&activate=true|false]`.
    ///
    /// Values are percent-encoded (``PercentEncoding``); parameters always come in this order. The client builds it
    /// once per request and uses the same string for signing and for the request line.
    public var requestTarget: String {
        var target = "/v1/order?quantity="
        target.reserveCapacity(64 + receiver.utf8.count + clientOrderID.utf8.count * 3)
        target += String(quantity)
        target += "&receiver="
        target += PercentEncoding.encode(receiver)
        target += "&duration="
        target += PercentEncoding.encode(duration)
        target += "&client_order_id="
        target += PercentEncoding.encode(clientOrderID)
        if let activate {
            target += activate ? "&activate=true" : "&activate=false"
        }
        return target
    }
}
