import Foundation
import JSON
import Locking

/// The simulated CatFee server without any I/O: turns a ``SimulatorHTTPRequest`` into a ``SimulatorHTTPResponse``.
///
/// Thread-safe: all mutable state is in one mutex; the latency and delay faults sleep on the calling (connection)
/// thread, outside the lock.
final class SimulatorEngine: Sendable {
    /// The configuration it was started with (faults in it are only the initial ones).
    let configuration: SimulatorConfiguration
    /// The mutable state.
    let state: Locked<SimulatorState>

    /// An engine with a fresh state from `configuration`.
    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.state = Locked(SimulatorState(faults: configuration.faults, balanceSun: configuration.initialBalanceSun))
    }

    /// Handles one request; may sleep (latency, slow keys, delay after create).
    func handle(_ request: SimulatorHTTPRequest) -> SimulatorHTTPResponse {
        if request.rawTarget.hasPrefix("/_sim/") { return handleControl(request) }
        return handleAPI(request)
    }

    /// The current faults.
    var faults: SimulatorFaults { state.withLock { $0.faults } }

    /// Replaces the faults; a changed seed reseeds the generator.
    func setFaults(_ faults: SimulatorFaults) {
        state.withLock { state in
            if faults.seed != state.faults.seed { state.random = SplitMix64(seed: faults.seed) }
            state.faults = faults
        }
    }

    /// Edits the faults in place under the lock; a changed seed reseeds the generator.
    func updateFaults(_ body: (inout SimulatorFaults) throws -> Void) rethrows -> SimulatorFaults {
        try state.withLock { state in
            var faults = state.faults
            try body(&faults)
            if faults.seed != state.faults.seed { state.random = SplitMix64(seed: faults.seed) }
            state.faults = faults
            return faults
        }
    }

    /// Clears orders, charges and the log, restores the balance and reseeds; faults stay.
    func reset() {
        state.withLock { state in
            state = SimulatorState(faults: state.faults, balanceSun: configuration.initialBalanceSun)
        }
    }

    /// Sleeps on the calling thread.
    static func sleep(milliseconds: Int) {
        if milliseconds > 0 { Thread.sleep(forTimeInterval: Double(milliseconds) / 1000) }
    }
}
