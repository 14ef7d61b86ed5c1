import CatFee
import Testing

@Suite struct RetryPolicyTests {
    @Test func neverExceedsCapNorNegative() {
        let policy = RetryPolicy()
        var generator = SeededGenerator(seed: 42)
        for attempt in 1...40 {
            for _ in 0..<50 {
                let delay = policy.delay(forAttempt: attempt, using: &generator)
                #expect(delay >= .zero)
                #expect(delay <= policy.ceiling(forAttempt: attempt))
                #expect(delay <= .seconds(30))
            }
        }
    }

    @Test func ceilingGrowsThenCaps() {
        let policy = RetryPolicy()
        #expect(policy.ceiling(forAttempt: 1) == .milliseconds(200))
        #expect(policy.ceiling(forAttempt: 2) == .milliseconds(400))
        #expect(policy.ceiling(forAttempt: 4) == .milliseconds(1600))
        #expect(policy.ceiling(forAttempt: 20) == .seconds(30))
        #expect(policy.ceiling(forAttempt: 10_000) == .seconds(30))
    }

    @Test func jitterVaries() {
        let policy = RetryPolicy()
        var generator = SeededGenerator(seed: 7)
        let delays = Set((0..<20).map { _ in policy.delay(forAttempt: 5, using: &generator) })
        #expect(delays.count > 10)
    }

    @Test func systemGeneratorStaysInBounds() {
        let delay = RetryPolicy().delay(forAttempt: 3)
        #expect(delay >= .zero && delay <= .milliseconds(800))
    }
}

// MARK: - Helpers

/// SplitMix64, for reproducible jitter.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
