import Locking

/// Holds every API call back while the CatFee account is unusable (bad key or signature, insufficient balance).
///
/// Account-wide refusals are not per-intent results (failure-cases.md, 13): the first task that meets one becomes
/// the prober and retries its own request with a slow backoff; every other task waits here. When the prober gets
/// any answer that is not account-wide, the gate opens and everyone proceeds. No intent is burned meanwhile.
public final class AccountGate: Sendable {
    private struct State {
        var problem: String?
        var proberActive = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Locked(State())

    /// Creates an open gate.
    public init() {}

    /// The reason the gate is closed, or nil while it is open.
    public var blockedReason: String? { state.withLock { $0.problem } }

    /// Closes the gate for `reason`. Returns true when the caller is now the prober (the only task that keeps
    /// calling the API); false when another task already probes, and the caller should ``waitUntilOpen()``.
    public func close(reason: String) -> Bool {
        state.withLock { state in
            state.problem = reason
            if state.proberActive { return false }
            state.proberActive = true
            return true
        }
    }

    /// Opens the gate (called by the prober once the account works) and wakes every waiter.
    public func open() {
        let waiters = state.withLock { state in
            state.problem = nil
            state.proberActive = false
            let waiters = state.waiters.values
            state.waiters.removeAll()
            return Array(waiters)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at once while the gate is open; otherwise when it opens or the task is cancelled.
    public func waitUntilOpen() async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.problem == nil || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
