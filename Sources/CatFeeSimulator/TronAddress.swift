/// TRON base58check addresses, implemented here independently of the worker's validator.
public enum TronAddress {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    private static let alphabetIndex: [UInt8: Int] = {
        var index: [UInt8: Int] = [:]
        for (offset, character) in alphabet.enumerated() { index[character] = offset }
        return index
    }()

    /// The printed address of a 20-byte account payload: base58check of `0x41 + payload20 + checksum`.
    ///
    /// Precondition: `payload20` has 20 bytes.
    public static func encode(payload20: [UInt8]) -> String {
        precondition(payload20.count == 20, "a TRON address payload has 20 bytes")
        let body = [0x41] + payload20
        let checksum = SimulatorSigning.sha256(SimulatorSigning.sha256(body)).prefix(4)
        return base58Encode(body + checksum)
    }

    /// Whether `string` is a valid TRON address: 34 characters of the Bitcoin alphabet decoding to 25 bytes,
    /// version byte 0x41 and a matching double-SHA-256 checksum.
    public static func isValid(_ string: String) -> Bool {
        let characters = Array(string.utf8)
        guard characters.count == 34, let decoded = base58Decode(characters), decoded.count == 25 else {
            return false
        }
        guard decoded[0] == 0x41 else { return false }
        let body = Array(decoded.prefix(21))
        let checksum = SimulatorSigning.sha256(SimulatorSigning.sha256(body)).prefix(4)
        return Array(checksum) == Array(decoded.suffix(4))
    }

    private static func base58Encode(_ bytes: [UInt8]) -> String {
        var digits: [Int] = []  // little-endian base-58 digits
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += digits[index] << 8
                digits[index] = carry % 58
                carry /= 58
            }
            while carry > 0 {
                digits.append(carry % 58)
                carry /= 58
            }
        }
        let leadingZeros = bytes.prefix(while: { $0 == 0 }).count
        let characters = [UInt8](repeating: alphabet[0], count: leadingZeros) + digits.reversed().map { alphabet[$0] }
        return String(decoding: characters, as: UTF8.self)
    }

    private static func base58Decode(_ characters: [UInt8]) -> [UInt8]? {
        var bytes: [Int] = []  // little-endian base-256 digits
        for character in characters {
            guard var carry = alphabetIndex[character] else { return nil }
            for index in bytes.indices {
                carry += bytes[index] * 58
                bytes[index] = carry & 0xFF
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(carry & 0xFF)
                carry >>= 8
            }
        }
        let leadingZeros = characters.prefix(while: { $0 == alphabet[0] }).count
        return [UInt8](repeating: 0, count: leadingZeros) + bytes.reversed().map { UInt8($0) }
    }
}
