public import Foundation
public import JSON

/// The one place that decides what a CatFee response means (failure-cases.md 7, 10, 11, 13).
///
/// Pure functions of their inputs: no I/O, so every rule is unit-tested.
public enum OrderOutcomeClassifier {
    /// How far (seconds) a 401 response's `Date` may be from the timestamp we sent before the 401 counts as skew.
    public static let clockSkewThreshold: TimeInterval = 4

    /// Classifies the transport result of one `POST /v1/order`.
    ///
    /// - Parameters:
    ///   - request: the order that was sent; a returned order with another receiver or quantity is a conflict.
    ///   - result: the response, or why none arrived.
    ///   - sentTimestamp: the `CF-ACCESS-TIMESTAMP` instant that was sent, to detect clock skew on a 401.
    ///   - receivedAt: local time the response arrived, to evaluate an HTTP-date `Retry-After` without a `Date`.
    public static func classify(
        request: OrderRequest, result: Result<CatFeeHTTPResponse, CatFeeTransportError>, sentTimestamp: Date,
        receivedAt: Date = Date()
    ) -> OrderOutcome {
        switch interpret(result, sentTimestamp: sentTimestamp, receivedAt: receivedAt, notFoundIsConfigFault: true) {
        case .failure(let outcome):
            return outcome
        case .success(let envelope):
            guard case .object = envelope.data else {
                return .transient(.malformedResponse("code 0 without a data object"))
            }
            if let conflict = conflict(request: request, order: envelope.data) {
                return .rejected(conflict)
            }
            let duplicate =
                envelope.subMessage.lowercased().contains("duplicate")
                || envelope.subCode.uppercased().contains("DUPLICATE")
            return .ordered(order: envelope.data, duplicate: duplicate)
        }
    }

    /// Classifies a read (`GET /v1/order/{id}`, `GET /v1/account`): the envelope's `data`, or why not.
    ///
    /// `notFoundIsConfigFault`: a 404 means a wrong base URL (true) or a missing resource (false, a rejection).
    public static func classifyRead(
        result: Result<CatFeeHTTPResponse, CatFeeTransportError>, sentTimestamp: Date, receivedAt: Date = Date(),
        notFoundIsConfigFault: Bool
    ) -> Result<JSONValue, CatFeeError> {
        switch interpret(
            result, sentTimestamp: sentTimestamp, receivedAt: receivedAt, notFoundIsConfigFault: notFoundIsConfigFault)
        {
        case .success(let envelope): return .success(envelope.data)
        case .failure(.rejected(let refusal)): return .failure(.rejected(refusal))
        case .failure(.transient(let failure)): return .failure(.transient(failure))
        case .failure(.accountBlocked(let problem)): return .failure(.accountBlocked(problem))
        case .failure(.clockSkew(let message)): return .failure(.clockSkew(message: message))
        case .failure(.ordered): return .failure(.transient(.malformedResponse("unexpected order outcome")))
        }
    }

    // MARK: - Rules

    private enum Interpretation {
        case success(Envelope)
        case failure(OrderOutcome)
    }

    private static func interpret(
        _ result: Result<CatFeeHTTPResponse, CatFeeTransportError>, sentTimestamp: Date, receivedAt: Date,
        notFoundIsConfigFault: Bool
    ) -> Interpretation {
        let response: CatFeeHTTPResponse
        switch result {
        case .failure(.timeout): return .failure(.transient(.timeout))
        case .failure(.network(let reason)): return .failure(.transient(.network(reason)))
        case .success(let value): response = value
        }
        let status = response.status
        let envelope = Envelope(body: response.body)
        let serverDate = response.header("Date").flatMap(HTTPDate.parse)
        let message = envelope?.message ?? "HTTP \(status)"

        switch status {
        case 200...299:
            guard let envelope else {
                return .failure(.transient(.malformedResponse("HTTP \(status) body is not a CatFee envelope")))
            }
            if envelope.code == 0 { return .success(envelope) }
            return .failure(businessRefusal(envelope, httpStatus: status))
        case 429:
            let retryAfter = response.header("Retry-After").flatMap {
                RetryAfter.parse($0, now: serverDate ?? receivedAt)
            }
            return .failure(.transient(.rateLimited(retryAfter: retryAfter)))
        case 409, 408, 425, 500...599:
            return .failure(.transient(.server(status: status, message: message)))
        case 401:
            let lowered = message.lowercased()
            let skewed = serverDate.map { abs($0.timeIntervalSince(sentTimestamp)) > clockSkewThreshold } ?? false
            if lowered.contains("timestamp") || lowered.contains("time") || skewed {
                return .failure(.clockSkew(message: message))
            }
            return .failure(
                .accountBlocked(.unauthorized(code: httpRefusalCode(envelope, status: 401), message: message)))
        case 403:
            return .failure(
                .accountBlocked(.unauthorized(code: httpRefusalCode(envelope, status: 403), message: message)))
        case 404 where notFoundIsConfigFault:
            return .failure(
                .accountBlocked(.unauthorized(code: "http_404", message: "endpoint not found: check CATFEE_BASE_URL")))
        case 300...399:
            return .failure(
                .accountBlocked(
                    .unauthorized(code: "http_\(status)", message: "unexpected redirect: check CATFEE_BASE_URL")))
        case 400...499:
            return .failure(
                .rejected(
                    APIRefusal(code: httpRefusalCode(envelope, status: status), message: message, httpStatus: status)))
        default:
            return .failure(.transient(.server(status: status, message: message)))
        }
    }

    /// The code of a 4xx: the envelope's `sub_code` or non-zero code, else `http_<status>`.
    private static func httpRefusalCode(_ envelope: Envelope?, status: Int) -> String {
        guard let envelope, envelope.code != 0 || (!envelope.subCode.isEmpty && envelope.subCode != "SUCCESS") else {
            return "http_\(status)"
        }
        return envelope.refusalCode
    }

    /// A 2xx envelope with a non-zero code.
    private static func businessRefusal(_ envelope: Envelope, httpStatus: Int) -> OrderOutcome {
        let subCode = envelope.subCode.uppercased()
        let text = (envelope.msg + " " + envelope.subMessage).lowercased()
        if subCode.contains("INSUFFICIENT_BALANCE") || envelope.msg.uppercased().contains("INSUFFICIENT_BALANCE")
            || text.contains("insufficient balance") || text.contains("balance not enough")
        {
            let code = envelope.subCode.isEmpty ? "INSUFFICIENT_BALANCE" : envelope.subCode
            return .accountBlocked(.insufficientBalance(code: code, message: envelope.message))
        }
        if envelope.code == 2 || text.contains("auth error") {
            return .accountBlocked(.unauthorized(code: envelope.refusalCode, message: envelope.message))
        }
        return .rejected(APIRefusal(code: envelope.refusalCode, message: envelope.message, httpStatus: httpStatus))
    }

    /// A refusal when a returned order's receiver or quantity differs from the request's.
    private static func conflict(request: OrderRequest, order: JSONValue) -> APIRefusal? {
        let receiver = order["receiver"]?.stringValue
        let quantity = order["quantity"].flatMap(numericQuantity)
        let receiverDiffers = receiver.map { $0 != request.receiver } ?? false
        let quantityDiffers = quantity.map { $0 != Double(request.quantity) } ?? false
        guard receiverDiffers || quantityDiffers else { return nil }
        let id = order["id"]?.stringValue ?? order["id"]?.jsonText ?? "(no id)"
        let theirs = "receiver \(receiver ?? "(absent)") and quantity \(order["quantity"].map(describe) ?? "(absent)")"
        return APIRefusal(
            code: "client_order_id_conflict",
            message:
                "order \(id) for this client_order_id has \(theirs), the intent asks receiver \(request.receiver) "
                + "and quantity \(request.quantity)",
            httpStatus: 200)
    }

    private static func numericQuantity(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let literal), .string(let literal): Double(literal.trimmingSpacesAndTabs)
        default: nil
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        value.stringValue ?? value.jsonText
    }
}

/// CatFee's response envelope: `{ "code", "msg", "sub_code", "sub_msg", "data" }`.
struct Envelope {
    /// The numeric `code`; 0 is success.
    var code: Int64
    /// `msg`, or empty.
    var msg: String
    /// `sub_code`, or empty.
    var subCode: String
    /// `sub_msg`, or empty.
    var subMessage: String
    /// `data` exactly as received (`.null` when absent).
    var data: JSONValue

    /// Decodes an envelope; nil when the body is not a JSON object with a numeric (or numeric-string) `code`.
    init?(body: [UInt8]) {
        guard !body.isEmpty, let value = try? JSONParser.parse(body), case .object = value else { return nil }
        let code: Int64?
        switch value["code"] {
        case .some(.number(let literal)): code = Int64(literal)
        case .some(.string(let literal)): code = Int64(literal)
        default: code = nil
        }
        guard let code else { return nil }
        self.code = code
        self.msg = value["msg"]?.stringValue ?? ""
        self.subCode = value["sub_code"]?.stringValue ?? ""
        self.subMessage = value["sub_msg"]?.stringValue ?? ""
        self.data = value["data"] ?? .null
    }

    /// The code to report: `sub_code` when it is set and not `SUCCESS`, else the numeric code.
    var refusalCode: String {
        !subCode.isEmpty && subCode != "SUCCESS" ? subCode : String(code)
    }

    /// The message to report: `sub_msg` when set, else `msg`, joined when both differ.
    var message: String {
        switch (msg.isEmpty, subMessage.isEmpty) {
        case (true, true): "code \(code)"
        case (false, true): msg
        case (true, false): subMessage
        case (false, false): msg == subMessage ? msg : "\(msg): \(subMessage)"
        }
    }
}
