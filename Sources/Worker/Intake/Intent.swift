/// A purchase intent that passed every local rule of contract.md and can become a CatFee order request.
public struct Intent: Sendable, Hashable {
    /// The message key: the idempotency key sent to CatFee.
    public var clientOrderID: String
    /// TRON base58check address that receives the energy.
    public var receiver: String
    /// Energy to buy, at least 65,000.
    public var quantity: Int64
    /// Rental duration; CatFee's order API offers only `1h`.
    public var duration: String
    /// CatFee's `activate` parameter, forwarded only when the intent has it.
    public var activate: Bool?

    /// Creates an intent.
    public init(
        clientOrderID: String, receiver: String, quantity: Int64, duration: String = "1h", activate: Bool? = nil
    ) {
        self.clientOrderID = clientOrderID
        self.receiver = receiver
        self.quantity = quantity
        self.duration = duration
        self.activate = activate
    }
}
