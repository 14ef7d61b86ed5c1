internal import COpenSSL
import Foundation

/// Computes `CF-ACCESS-SIGN`: Base64 (standard, padded) of HMAC-SHA256 keyed with the API secret.
///
/// Thread-safe: a value type holding only the key bytes.
public struct RequestSigner: Sendable {
    private let key: [UInt8]
    /// The part of the request target that is signed.
    public let scope: SignatureScope

    /// A signer for `secret` covering `scope`.
    public init(secret: String, scope: SignatureScope) {
        self.key = Array(secret.utf8)
        self.scope = scope
    }

    /// Base64(HMAC-SHA256(secret, timestamp + method + (scope == .path ? path-part-only : requestTarget))).
    ///
    /// `requestTarget` must be the exact bytes that go on the request line (same order, same percent-encoding).
    public func signature(timestamp: String, method: String, requestTarget: String) -> String {
        var message = [UInt8]()
        message.reserveCapacity(timestamp.utf8.count + method.utf8.count + requestTarget.utf8.count)
        message.append(contentsOf: timestamp.utf8)
        message.append(contentsOf: method.utf8)
        switch scope {
        case .pathAndQuery:
            message.append(contentsOf: requestTarget.utf8)
        case .path:
            message.append(contentsOf: requestTarget.utf8.prefix(while: { $0 != UInt8(ascii: "?") }))
        }
        return Data(Self.hmacSHA256(key: key, message: message)).base64EncodedString()
    }

    private static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                digest.withUnsafeMutableBufferPointer { digestBuffer in
                    _ = HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), messageBuffer.baseAddress,
                        messageBuffer.count, digestBuffer.baseAddress, &length)
                }
            }
        }
        return Array(digest.prefix(Int(length)))
    }
}
