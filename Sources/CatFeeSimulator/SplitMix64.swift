/// SplitMix64: a small seeded generator, so fault selection and generated ids repeat for a given seed.
///
/// Not thread-safe by itself; the simulator keeps it under its state mutex.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator starting from `seed`.
    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

    /// Whether an event of probability `rate` happens; draws nothing when the rate is 0 or 1.
    mutating func happens(rate: Double) -> Bool {
        if rate <= 0 { return false }
        if rate >= 1 { return true }
        return nextUnit() < rate
    }

    /// A version-4 UUID string from the generator.
    mutating func uuid() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { hexByte($0) }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-"
            + hex[8..<10].joined() + "-" + hex[10..<16].joined()
    }

    /// `count` random bytes as lowercase hex.
    mutating func hex(bytes count: Int) -> String {
        (0..<count).map { _ in hexByte(UInt8(truncatingIfNeeded: next())) }.joined()
    }

    private func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
