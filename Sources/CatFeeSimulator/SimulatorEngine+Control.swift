import JSON
import Locking

extension SimulatorEngine {
    /// The `/_sim/...` control endpoints: no authentication, not logged, no faults.
    func handleControl(_ request: SimulatorHTTPRequest) -> SimulatorHTTPResponse {
        let path = Self.split(target: request.rawTarget).path
        switch (request.method, path) {
        case ("GET", "/_sim/health"): return .text(200, "ok")
        case ("GET", "/_sim/ledger"): return .json(200, state.withLock { $0.ledger }.json)
        case ("GET", "/_sim/stats"): return .json(200, state.withLock { $0.statsSnapshot }.json)
        case ("GET", "/_sim/faults"): return .json(200, faults.json)
        case ("POST", "/_sim/faults"):
            do {
                let update = try JSONParser.parse(request.body)
                return .json(200, try updateFaults { try $0.apply(json: update) }.json)
            } catch {
                return .json(400, .object([("error", .string(String(describing: error)))]))
            }
        case ("POST", "/_sim/reset"):
            reset()
            return .json(200, .object([("ok", true)]))
        case (_, "/_sim/health"), (_, "/_sim/ledger"), (_, "/_sim/stats"), (_, "/_sim/faults"), (_, "/_sim/reset"):
            return .json(405, .object([("error", "method not allowed")]))
        default:
            return .json(404, .object([("code", 404), ("msg", "not found")]))
        }
    }
}
