import Locking

/// A faithful, strict fake of the CatFee.IO REST API on a local port, with injectable faults and a ledger of
/// what it charged.
///
/// Thread-safe. The server runs from `init` until ``stop()`` (or deinit).
public final class CatFeeSimulator: Sendable {
    private let engine: SimulatorEngine
    private let server: MicroHTTPDServer

    /// Starts the server; throws ``SimulatorError`` when the address is unusable (port taken, bad host).
    public init(configuration: SimulatorConfiguration) throws {
        guard configuration.signatureScope == "path-and-query" || configuration.signatureScope == "path" else {
            throw SimulatorError("signature scope must be path-and-query or path, not \(configuration.signatureScope)")
        }
        engine = SimulatorEngine(configuration: configuration)
        server = try MicroHTTPDServer(engine: engine, host: configuration.host, port: configuration.port)
    }

    /// The bound port.
    public var port: UInt16 { server.port }

    /// `http://HOST:PORT`.
    public var baseURL: String { "http://\(engine.configuration.host):\(port)" }

    /// The faults in force.
    public var faults: SimulatorFaults { engine.faults }

    /// Replaces the faults.
    public func setFaults(_ faults: SimulatorFaults) { engine.setFaults(faults) }

    /// Edits the faults atomically.
    public func updateFaults(_ body: (inout SimulatorFaults) -> Void) { _ = engine.updateFaults(body) }

    /// A snapshot of orders, charges, balance and the request log.
    public func ledger() -> SimulatorLedger { engine.state.withLock { $0.ledger } }

    /// The traffic counters (also `GET /_sim/stats`).
    public func stats() -> SimulatorStats { engine.state.withLock { $0.statsSnapshot } }

    /// Clears orders, charges and the log, restores the initial balance; faults stay.
    public func reset() { engine.reset() }

    /// Stops the server; idempotent; waits for running connections.
    public func stop() { server.stop() }

    deinit { server.stop() }
}
