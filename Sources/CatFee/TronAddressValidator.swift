internal import COpenSSL

/// Checks TRON base58check addresses, the form CatFee's `receiver` takes.
///
/// A valid address decodes (Bitcoin's base58 alphabet) to 25 bytes: version byte 0x41, a 20-byte account id,
/// and 4 check bytes equal to the first 4 bytes of SHA-256(SHA-256(the first 21 bytes)). Printed, it is 34
/// characters starting with `T`.
public enum TronAddressValidator {
    /// Why a string is not a TRON address.
    public enum Problem: String, Sendable, Hashable {
        case wrongLength = "must be 34 characters"
        case notBase58 = "contains a character outside the base58 alphabet"
        case wrongVersion = "does not start with the TRON version byte 0x41"
        case badChecksum = "has a wrong checksum"
    }

    /// Returns nil for a valid address, or what is wrong with it.
    public static func problem(with address: String) -> Problem? {
        let characters = Array(address.utf8)
        guard characters.count == 34 else { return .wrongLength }
        guard let decoded = decodeBase58(characters) else { return .notBase58 }
        guard decoded.count == 25 else { return .wrongLength }
        guard decoded[0] == 0x41 else { return .wrongVersion }
        let check = doubleSHA256(Array(decoded[0..<21]))
        guard Array(check[0..<4]) == Array(decoded[21..<25]) else { return .badChecksum }
        return nil
    }

    /// Whether `address` is a valid TRON address.
    public static func isValid(_ address: String) -> Bool { problem(with: address) == nil }

    /// Encodes 20 account bytes as a TRON address (for tests, samples and the demo).
    public static func address(account: [UInt8]) -> String {
        precondition(account.count == 20, "a TRON account id has 20 bytes")
        let payload = [0x41] + account
        return encodeBase58(payload + doubleSHA256(payload)[0..<4])
    }

    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let digitOfCharacter: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (digit, character) in alphabet.enumerated() { table[Int(character)] = Int8(digit) }
        return table
    }()

    private static func decodeBase58(_ characters: [UInt8]) -> [UInt8]? {
        var bytes: [UInt8] = []
        for character in characters {
            let digit = digitOfCharacter[Int(character)]
            guard digit >= 0 else { return nil }
            var carry = Int(digit)
            for index in bytes.indices.reversed() {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        let leadingZeros = characters.prefix(while: { $0 == alphabet[0] }).count
        return [UInt8](repeating: 0, count: leadingZeros) + bytes
    }

    private static func encodeBase58(_ bytes: [UInt8]) -> String {
        var digits: [UInt8] = []
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices.reversed() {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.insert(UInt8(carry % 58), at: 0)
                carry /= 58
            }
        }
        let leadingZeros = bytes.prefix(while: { $0 == 0 }).count
        let text = [UInt8](repeating: alphabet[0], count: leadingZeros) + digits.map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    private static func doubleSHA256(_ bytes: [UInt8]) -> [UInt8] {
        var first = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var second = first
        bytes.withUnsafeBufferPointer { input in _ = SHA256(input.baseAddress, input.count, &first) }
        first.withUnsafeBufferPointer { input in _ = SHA256(input.baseAddress, input.count, &second) }
        return second
    }
}
