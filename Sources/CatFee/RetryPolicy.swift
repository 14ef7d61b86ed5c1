import Foundation

/// Capped exponential backoff with full jitter, for transient failures (failure-cases.md 7).
public struct RetryPolicy: Sendable, Hashable {
    /// The cap of the first attempt's delay.
    public var initialBackoff: Duration
    /// The cap of any delay.
    public var maxBackoff: Duration
    /// Growth factor of the cap per attempt.
    public var multiplier: Double

    /// A policy; defaults 200 ms, 30 s, ×2.
    public init(
        initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(30), multiplier: Double = 2
    ) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
    }

    /// The cap for `attempt` (1-based): min(maxBackoff, initialBackoff × multiplier^(attempt−1)), never negative.
    public func ceiling(forAttempt attempt: Int) -> Duration {
        let initial = max(0, seconds(initialBackoff))
        let cap = max(0, seconds(maxBackoff))
        let exponent = Double(max(0, attempt - 1))
        let grown = initial * pow(max(1, multiplier), exponent)
        let bounded = grown.isFinite ? min(cap, grown) : cap
        return .nanoseconds(Int64(bounded * 1e9))
    }

    /// Full jitter: uniform in [0, ``ceiling(forAttempt:)``], drawn from `generator`.
    public func delay(forAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(forAttempt: attempt)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }

    /// Full jitter from the system random number generator.
    public func delay(forAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(forAttempt: attempt, using: &generator)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
