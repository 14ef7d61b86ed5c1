import Locking

/// The process-wide gate in front of every CatFee request: concurrency limit, rate limit and 429 hold-off.
///
/// Thread-safe. One gate per ``CatFeeClient``; the worker shares one client per process so that every caller waits
/// for the same limits (failure-cases.md 11).
public final class RequestGate: Sendable {
    private let origin = ContinuousClock.now
    private let schedule: Locked<RequestSchedule>
    private let permits: Locked<PermitState>

    private struct PermitState {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    /// A gate allowing `maxConcurrentRequests` at once and at most `maxRequestsPerSecond` starts (nil: unlimited).
    public init(maxConcurrentRequests: Int, maxRequestsPerSecond: Double?) {
        schedule = Locked(RequestSchedule(maxRequestsPerSecond: maxRequestsPerSecond))
        permits = Locked(PermitState(available: max(1, maxConcurrentRequests)))
    }

    /// Waits for a concurrency permit, a rate slot and the end of any hold-off.
    ///
    /// Returns false (holding no permit) when the task was cancelled while waiting for the rate limit or a hold-off;
    /// on true the caller must call ``release()`` once the request is over.
    public func acquire() async -> Bool {
        await acquirePermit()
        while true {
            if Task.isCancelled {
                release()
                return false
            }
            switch schedule.withLock({ $0.reserve(now: elapsed()) }) {
            case .proceed:
                return true
            case .heldOff(let remaining):
                try? await Task.sleep(for: remaining)
            case .waitForSlot(let after):
                try? await Task.sleep(for: after)
                while let remaining = schedule.withLock({ $0.checkHoldOff(now: elapsed()) }), !Task.isCancelled {
                    try? await Task.sleep(for: remaining)
                }
                if !Task.isCancelled, schedule.withLock({ $0.checkHoldOff(now: elapsed()) }) == nil { return true }
            }
        }
    }

    /// Returns a permit taken by a successful ``acquire()``.
    public func release() {
        let waiter = permits.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.available += 1
                return nil
            }
            let next = state.waiters[state.head]
            state.head += 1
            if state.head > 64, state.head * 2 > state.waiters.count {
                state.waiters.removeFirst(state.head)
                state.head = 0
            }
            return next
        }
        waiter?.resume()
    }

    /// Holds every request off for `duration` from now (a 429's Retry-After plus jitter).
    public func holdOff(for duration: Duration) {
        let until = elapsed() + duration
        schedule.withLock { $0.holdOff(until: until) }
    }

    /// How long requests are still held off (zero when not).
    public var remainingHoldOff: Duration {
        schedule.withLock { $0.checkHoldOff(now: elapsed()) } ?? .zero
    }

    private func acquirePermit() async {
        let acquired = permits.withLock { state -> Bool in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = permits.withLock { state -> Bool in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func elapsed() -> Duration {
        ContinuousClock.now - origin
    }
}
