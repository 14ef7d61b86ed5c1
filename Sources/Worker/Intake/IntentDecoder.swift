public import CatFee
import JSON

/// Why a message cannot become an API call at all: it goes to the dead-letter topic (contract.md, Dead letters).
public struct DeadLetterReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `dlq-reason` header value.
    public var code: String
    /// A human-readable explanation, the `dlq-detail` header. Never contains the message itself.
    public var detail: String

    public var description: String { "\(code): \(detail)" }

    static func missingKey() -> Self { .init(code: "missing-key", detail: "the message has no key") }
    static func emptyKey() -> Self { .init(code: "empty-key", detail: "the key is empty") }
    static func keyTooLong(_ length: Int) -> Self {
        .init(code: "key-too-long", detail: "the key has \(length) bytes, at most 64 are allowed")
    }
    static func keyNotPrintable(at index: Int) -> Self {
        .init(code: "key-not-printable-ascii", detail: "key byte \(index) is outside printable ASCII (0x21 to 0x7E)")
    }
    static func valueNotUTF8() -> Self { .init(code: "value-not-utf8", detail: "the value is not valid UTF-8") }
    static func valueNotObject(_ detail: String) -> Self { .init(code: "value-not-json-object", detail: detail) }
    static func valueTooLarge(_ size: Int, limit: Int) -> Self {
        .init(code: "value-too-large", detail: "the value has \(size) bytes, at most \(limit) are accepted")
    }
}

/// A local validation failure: the intent gets a `REJECTED` result with `error.source = "validation"`.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Machine-readable code, e.g. `quantity_too_low`.
    public var code: String
    /// Human-readable message naming the field.
    public var message: String

    public var description: String { "\(code): \(message)" }
}

/// Decodes message keys and values into intents by the rules of contract.md.
///
/// Every rule is checked here and nowhere else; the decoder does no I/O and is tested against the JSON Schemas'
/// examples (schemas/examples).
public enum IntentDecoder {
    /// The largest value accepted; larger values are dead-lettered before parsing.
    public static let maximumValueSize = 64 * 1024
    /// The smallest quantity CatFee accepts.
    public static let minimumQuantity: Int64 = 65_000
    /// The durations CatFee's order API offers.
    public static let supportedDurations: Set<String> = ["1h"]

    /// Checks a key: returns the `client_order_id`, or why the message must be dead-lettered. Keys are never
    /// truncated or altered (two intents would otherwise share one order).
    public static func clientOrderID(fromKey key: [UInt8]?) -> Result<String, DeadLetterReason> {
        guard let key else { return .failure(.missingKey()) }
        guard !key.isEmpty else { return .failure(.emptyKey()) }
        guard key.count <= 64 else { return .failure(.keyTooLong(key.count)) }
        if let index = key.firstIndex(where: { $0 < 0x21 || $0 > 0x7E }) {
            return .failure(.keyNotPrintable(at: index))
        }
        return .success(String(decoding: key, as: UTF8.self))
    }

    /// The outcome of decoding a value whose key was valid.
    public enum ValueOutcome: Sendable, Hashable {
        case intent(Intent)
        case rejected(ValidationFailure)
        case deadLetter(DeadLetterReason)
    }

    /// Decodes the value of a message whose key is `clientOrderID`.
    public static func decode(value: [UInt8]?, clientOrderID: String) -> ValueOutcome {
        guard let value, !value.isEmpty else { return .deadLetter(.valueNotObject("the value is empty")) }
        guard value.count <= maximumValueSize else {
            return .deadLetter(.valueTooLarge(value.count, limit: maximumValueSize))
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(value)
        } catch {
            if error.reason.contains("UTF-8") { return .deadLetter(.valueNotUTF8()) }
            return .deadLetter(.valueNotObject("the value is not JSON (\(error))"))
        }
        guard case .object = json else {
            return .deadLetter(.valueNotObject("the value is a JSON \(json.typeName), not an object"))
        }
        switch validate(json, clientOrderID: clientOrderID) {
        case .success(let intent): return .intent(intent)
        case .failure(let failure): return .rejected(failure)
        }
    }

    private static func validate(_ json: JSONValue, clientOrderID: String) -> Result<Intent, ValidationFailure> {
        guard let receiverValue = json["receiver"] else {
            return .failure(.init(code: "receiver_missing", message: "receiver is required"))
        }
        guard let receiver = receiverValue.stringValue else {
            return .failure(
                .init(code: "receiver_invalid", message: "receiver must be a string, got \(receiverValue.typeName)")
            )
        }
        if let problem = TronAddressValidator.problem(with: receiver) {
            return .failure(
                .init(code: "receiver_invalid", message: "receiver is not a TRON address: it \(problem.rawValue)")
            )
        }
        guard let quantityValue = json["quantity"] else {
            return .failure(.init(code: "quantity_missing", message: "quantity is required"))
        }
        guard let quantity = quantityValue.integerValue else {
            let got = quantityValue.typeName == "number" ? "a non-integer number" : quantityValue.typeName
            return .failure(
                .init(code: "quantity_not_integer", message: "quantity must be a JSON integer, got \(got)")
            )
        }
        guard quantity >= minimumQuantity else {
            return .failure(
                .init(
                    code: "quantity_too_low", message: "quantity must be at least \(minimumQuantity), got \(quantity)")
            )
        }
        var duration = "1h"
        if let durationValue = json["duration"] {
            guard let text = durationValue.stringValue else {
                return .failure(
                    .init(code: "duration_invalid", message: "duration must be a string, got \(durationValue.typeName)")
                )
            }
            guard supportedDurations.contains(text) else {
                return .failure(
                    .init(
                        code: "duration_unsupported",
                        message: "duration \(quoted(text)) is not offered; allowed: \(supportedDurations.sorted())"
                    )
                )
            }
            duration = text
        }
        var activate: Bool?
        if let activateValue = json["activate"] {
            guard let flag = activateValue.boolValue else {
                return .failure(
                    .init(
                        code: "activate_invalid", message: "activate must be a boolean, got \(activateValue.typeName)")
                )
            }
            activate = flag
        }
        if let idValue = json["client_order_id"] {
            guard idValue.stringValue == clientOrderID else {
                return .failure(
                    .init(
                        code: "client_order_id_mismatch", message: "client_order_id in the value differs from the key")
                )
            }
        }
        return .success(
            Intent(
                clientOrderID: clientOrderID,
                receiver: receiver,
                quantity: quantity,
                duration: duration,
                activate: activate
            )
        )
    }

    private static func quoted(_ text: String) -> String {
        let shown = text.count > 16 ? String(text.prefix(16)) + "…" : text
        return "\"\(shown)\""
    }
}
