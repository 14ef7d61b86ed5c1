import JSON
import Locking

/// The parameters of `POST /v1/order` once they are syntactically valid.
struct OrderParameters {
    /// `quantity`.
    var quantity: Int64
    /// `receiver`, not yet checked as an address.
    var receiver: String
    /// `duration` (always `1h`).
    var duration: String
    /// `client_order_id`, when given.
    var clientOrderID: String?
    /// `activate` (true when absent).
    var activate: Bool

    private static let known: Set<String> = ["quantity", "receiver", "duration", "client_order_id", "activate"]

    /// Checks the query: unknown or repeated parameters, missing required ones and malformed values are 400s.
    init(query: QueryString) throws(SimulatorError) {
        var values: [String: String] = [:]
        for (name, value) in query.parameters {
            guard Self.known.contains(name) else { throw SimulatorError("unknown parameter \(name)") }
            guard values.updateValue(value, forKey: name) == nil else {
                throw SimulatorError("parameter \(name) given more than once")
            }
        }
        guard let quantityText = values["quantity"] else { throw SimulatorError("quantity is required") }
        let digits = quantityText.hasPrefix("-") ? quantityText.dropFirst() : Substring(quantityText)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let quantity = Int64(quantityText)
        else { throw SimulatorError("quantity must be an integer") }
        guard let receiver = values["receiver"], !receiver.isEmpty else { throw SimulatorError("receiver is required") }
        guard let duration = values["duration"] else { throw SimulatorError("duration is required") }
        guard duration == "1h" else { throw SimulatorError("duration must be 1h") }
        if let id = values["client_order_id"] {
            guard !id.isEmpty, id.utf8.count <= 64 else {
                throw SimulatorError("client_order_id must be 1 to 64 characters")
            }
        }
        var activate = true
        if let text = values["activate"] {
            switch text {
            case "true": activate = true
            case "false": activate = false
            default: throw SimulatorError("activate must be true or false")
            }
        }
        self.quantity = quantity
        self.receiver = receiver
        self.duration = duration
        self.clientOrderID = values["client_order_id"]
        self.activate = activate
    }
}

/// What the atomic part of an order request decided.
private enum OrderDecision {
    case duplicate(JSONValue)
    case refused(code: Int, subCode: String, message: String)
    case created(JSONValue, drop: Bool)
}

/// Activation fee charged for an unactivated receiver, in sun.
private let activationFeeSun: Int64 = 1_100_000

extension SimulatorEngine {
    /// `POST /v1/order` after authentication: validation, then idempotency, refusals and charge in one critical
    /// section, then the drop and delay faults.
    func createOrder(query: QueryString, arrivalMs: Int64, faults: SimulatorFaults) -> APIOutcome {
        let parameters: OrderParameters
        do { parameters = try OrderParameters(query: query) } catch { return Self.badRequest(error.reason) }
        let decision = state.withLock { state in decide(parameters, arrivalMs: arrivalMs, state: &state) }
        switch decision {
        case .duplicate(let data):
            return APIOutcome(
                response: .envelope(
                    200, code: 0, msg: "success", subCode: "SUCCESS",
                    subMsg: "Duplicate order request, returning existing order", data: data),
                outcome: "duplicate")
        case .refused(let code, let subCode, let message):
            return APIOutcome(
                response: .envelope(200, code: code, msg: message, subCode: subCode, subMsg: message),
                outcome: "rejected:\(subCode)")
        case .created(let data, let drop):
            if drop { return APIOutcome(response: .dropped, outcome: "fault:dropped-after-charge") }
            Self.sleep(milliseconds: faults.delayAfterCreateMs)
            return APIOutcome(
                response: .envelope(200, code: 0, msg: "success", subCode: "SUCCESS", data: data), outcome: "created")
        }
    }

    private func decide(_ parameters: OrderParameters, arrivalMs: Int64, state: inout SimulatorState) -> OrderDecision {
        if let id = parameters.clientOrderID, let index = state.orderIndexByClientOrderID[id] {
            return .duplicate(state.orders[index].data)
        }
        if parameters.quantity < 65_000 {
            return .refused(code: 10001, subCode: "QUANTITY_TOO_LOW", message: "quantity must be at least 65000")
        }
        if parameters.quantity > configuration.maxQuantity {
            return .refused(
                code: 10001, subCode: "QUANTITY_TOO_HIGH",
                message: "quantity must be at most \(configuration.maxQuantity)")
        }
        guard TronAddress.isValid(parameters.receiver) else {
            return .refused(code: 10001, subCode: "INVALID_ADDRESS", message: "receiver is not a valid TRON address")
        }
        let unactivated = configuration.unactivatedReceivers.contains(parameters.receiver)
        if unactivated && !parameters.activate {
            return .refused(
                code: 10001, subCode: "ADDRESS_NOT_ACTIVATED", message: "receiver is not activated and activate=false")
        }
        let (payAmount, overflow) = parameters.quantity.multipliedReportingOverflow(by: configuration.priceSunPerEnergy)
        let activationAmount = unactivated ? activationFeeSun : 0
        guard !overflow, !state.faults.insufficientBalance, state.balanceSun >= payAmount + activationAmount else {
            return .refused(code: 10002, subCode: "INSUFFICIENT_BALANCE", message: "insufficient balance")
        }

        state.balanceSun -= payAmount + activationAmount
        let id = state.random.uuid()
        let data = JSONValue.object(
            [
                ("id", .string(id)),
                ("client_order_id", parameters.clientOrderID.map(JSONValue.string) ?? .null),
                ("resource_type", "ENERGY"),
                ("billing_type", "API"),
                ("source_type", "API"),
                ("pay_timestamp", .integer(arrivalMs)),
                ("receiver", .string(parameters.receiver)),
                ("delegate_hash", .string(state.random.hex(bytes: 32))),
                ("delegate_timestamp", .integer(arrivalMs + 3000)),
                ("pay_amount_sun", .integer(payAmount)),
                ("activate_amount_sun", .integer(activationAmount)),
                ("quantity", .integer(parameters.quantity)),
                ("staked_sun", .integer(parameters.quantity * 11_000)),
                ("duration", 60),
                ("expired_timestamp", .integer(arrivalMs + 3_600_000)),
                ("balance", .integer(state.balanceSun)),
                ("status", "DELEGATE_SUCCESS"),
                ("activate_status", unactivated ? "ACTIVATE" : "ALREADY_ACTIVATED"),
                ("confirm_status", "UNCONFIRMED"),
            ].filter { $0.1 != .null })
        let order = SimulatedOrder(
            id: id, clientOrderID: parameters.clientOrderID, receiver: parameters.receiver,
            quantity: parameters.quantity, duration: parameters.duration, activate: parameters.activate,
            payAmountSun: payAmount, createdAtMs: arrivalMs, data: data)
        state.orders.append(order)
        state.orderIndexByID[id] = state.orders.count - 1
        if let clientOrderID = parameters.clientOrderID {
            state.orderIndexByClientOrderID[clientOrderID] = state.orders.count - 1
            state.chargesByClientOrderID[clientOrderID, default: 0] += 1
            state.maxChargesPerClientOrderID = max(
                state.maxChargesPerClientOrderID, state.chargesByClientOrderID[clientOrderID] ?? 0)
        }
        return .created(data, drop: state.random.happens(rate: state.faults.dropAfterChargeRate))
    }
}
