internal import COpenSSL
import Foundation

/// The CatFee request signature, computed independently of the CatFee client module.
///
/// The simulator verifies requests with it; tests and tools may use it to sign the requests they send.
public enum SimulatorSigning {
    /// Base64 (standard, padded) of HMAC-SHA256 keyed with `secret` over `timestamp + METHOD + target`.
    ///
    /// `target` is the signed part exactly as it travels on the wire: the raw path-and-query, or the raw path.
    public static func signature(secret: String, timestamp: String, method: String, target: String) -> String {
        let message = Array((timestamp + method.uppercased() + target).utf8)
        return Data(hmacSHA256(key: Array(secret.utf8), message: message)).base64EncodedString()
    }

    /// The raw HMAC-SHA256 digest of `message` keyed with `key`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                _ = HMAC(
                    EVP_sha256(), keyBytes.baseAddress, Int32(key.count),
                    messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count,
                    &digest, &length)
            }
        }
        return Array(digest.prefix(Int(length)))
    }

    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { buffer in
            _ = SHA256(buffer.baseAddress, buffer.count, &digest)
        }
        return digest
    }

    /// Compares two byte strings in time independent of where they differ.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
