import CatFeeSimulator
import Foundation
import JSON

/// Helpers shared by the simulator tests.
enum TestSupport {
    /// A valid TRON address made from `seed`.
    static func address(_ seed: UInt8 = 1) -> String {
        TronAddress.encode(payload20: (0..<20).map { UInt8(truncatingIfNeeded: Int($0) &* 7 &+ Int(seed)) })
    }

    /// Now (plus `offsetMs`) as a CatFee timestamp.
    static func timestamp(offsetMs: Double = 0) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(offsetMs / 1000))
    }

    /// An order target with its query percent-encoded (RFC 3986 unreserved characters kept).
    static func orderTarget(
        quantity: String = "65000", receiver: String = address(), duration: String = "1h", clientOrderID: String? = nil,
        extra: [(String, String)] = []
    ) -> String {
        var parameters = [("quantity", quantity), ("receiver", receiver), ("duration", duration)]
        if let clientOrderID { parameters.append(("client_order_id", clientOrderID)) }
        parameters += extra
        return "/v1/order?" + parameters.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding.
    static func encode(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
    }

    /// Sends a signed API request; `signedTarget` defaults to what the scope signs of `target`.
    static func signed(
        _ simulator: CatFeeSimulator, method: String = "POST", target: String, key: String = "sim-key",
        secret: String = "sim-secret", timestamp: String = timestamp(), signedTarget: String? = nil
    ) -> RawHTTPResponse? {
        let signature = SimulatorSigning.signature(
            secret: secret, timestamp: timestamp, method: method, target: signedTarget ?? target)
        return RawHTTPClient.send(
            port: simulator.port, method: method, target: target,
            headers: [
                ("Content-Type", "application/json"), ("CF-ACCESS-KEY", key), ("CF-ACCESS-TIMESTAMP", timestamp),
                ("CF-ACCESS-SIGN", signature),
            ])
    }

    /// A simulator on an ephemeral port.
    static func makeSimulator(_ edit: (inout SimulatorConfiguration) -> Void = { _ in }) throws -> CatFeeSimulator {
        var configuration = SimulatorConfiguration()
        edit(&configuration)
        return try CatFeeSimulator(configuration: configuration)
    }
}
