/// When the next request may start: the process-wide rate limit and any 429 hold-off, as a pure state machine.
///
/// Times are durations since an arbitrary monotonic origin, so tests drive it with plain numbers. The rate limit
/// hands out one slot per `interval` (no bursts beyond one); a hold-off blocks every slot until it ends.
public struct RequestSchedule: Sendable, Hashable {
    /// What a caller asking to start a request must do.
    public enum Decision: Sendable, Hashable {
        /// Start now.
        case proceed
        /// A slot is reserved `after` from now: sleep that long, then ask ``checkHoldOff(now:)``.
        case waitForSlot(after: Duration)
        /// Requests are held off (429) for `remaining`: sleep, then ask ``reserve(now:)`` again.
        case heldOff(remaining: Duration)
    }

    /// The spacing between request starts, or nil for no rate limit.
    public let interval: Duration?
    /// The earliest start of the next unreserved slot.
    public private(set) var nextSlot: Duration = .zero
    /// No request starts before this instant (zero when never held off).
    public private(set) var holdUntil: Duration = .zero

    /// A schedule for at most `maxRequestsPerSecond` request starts per second (nil or non-positive: unlimited).
    public init(maxRequestsPerSecond: Double?) {
        if let rate = maxRequestsPerSecond, rate > 0, rate.isFinite {
            interval = .nanoseconds(Int64((1e9 / rate).rounded(.up)))
        } else {
            interval = nil
        }
    }

    /// Asks to start a request at `now`; reserves a rate slot unless held off.
    public mutating func reserve(now: Duration) -> Decision {
        if now < holdUntil { return .heldOff(remaining: holdUntil - now) }
        guard let interval else { return .proceed }
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        return slot <= now ? .proceed : .waitForSlot(after: slot - now)
    }

    /// After waiting for a reserved slot: nil to start now, or how long a hold-off set meanwhile still lasts.
    public func checkHoldOff(now: Duration) -> Duration? {
        now < holdUntil ? holdUntil - now : nil
    }

    /// Holds every request off until `instant` (never shortens an existing hold-off).
    public mutating func holdOff(until instant: Duration) {
        holdUntil = max(holdUntil, instant)
    }
}
