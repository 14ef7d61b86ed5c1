import Foundation

// catfee-bench: issue 6's benchmark. Runs each scenario against `catfee-worker run` in a process of its own and
// reports throughput, latency, worker CPU per intent, peak RSS and API requests per intent, as a table and as JSON.

let usage = """
    usage: catfee-bench [--scenario NAME[,NAME...]] [--scale F] [--json FILE] [--worker PATH]
      --scenario   drain, latency-100ms, latency-100ms-linger-1, rate-limit-50,
                   slow-key (its rounds pair with slow-key-baseline's); default: all
      --scale      multiply every intent count (e.g. 0.05 for a quick smoke run); default 1
      --json       where the JSON report goes; default bench-results.json
      --worker     the catfee-worker binary; default: beside this executable
    """

var selected: Set<String>?
var scale = 1.0
var jsonPath = "bench-results.json"
var workerBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("catfee-worker").path
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag != "--help" && flag != "-h" else {
        print(usage)
        exit(0)
    }
    guard let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("catfee-bench: \(flag) needs a value\n\(usage)\n".utf8))
        exit(64)
    }
    switch flag {
    case "--scenario":
        var names = Set(value.split(separator: ",").map(String.init))
        if names.contains("slow-key") { names.insert("slow-key-baseline") }
        selected = names
    case "--scale":
        guard let number = Double(value), number > 0 else {
            FileHandle.standardError.write(Data("catfee-bench: --scale must be a positive number\n".utf8))
            exit(64)
        }
        scale = number
    case "--json": jsonPath = value
    case "--worker": workerBinary = value
    default:
        FileHandle.standardError.write(Data("catfee-bench: unknown option \(flag)\n\(usage)\n".utf8))
        exit(64)
    }
}
guard FileManager.default.isExecutableFile(atPath: workerBinary) else {
    FileHandle.standardError.write(Data("catfee-bench: no catfee-worker at \(workerBinary) (use --worker)\n".utf8))
    exit(64)
}

let scenarios = Scenario.all(scale: scale).filter { selected?.contains($0.name) ?? true }
let known = Set(Scenario.all(scale: 1).map(\.name))
if let unknown = selected?.subtracting(known), !unknown.isEmpty {
    FileHandle.standardError.write(Data("catfee-bench: unknown scenario \(unknown.sorted())\n".utf8))
    exit(64)
}
let runDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "catfee-bench-\(ProcessInfo.processInfo.processIdentifier)")
let log: @Sendable (String) -> Void = { line in
    FileHandle.standardError.write(Data("\(line)\n".utf8))
}

var results: [ScenarioResult] = []
var failed = false
for scenario in scenarios {
    log("scenario \(scenario.label): \(scenario.title)")
    let runner = ScenarioRunner(
        scenario: scenario, workerBinary: workerBinary,
        directory: runDirectory.appendingPathComponent(scenario.label), log: log)
    do {
        results.append(try await runner.run())
    } catch {
        log("scenario \(scenario.label) failed: \(error)")
        failed = true
    }
}
results = Verdicts.judge(results)
print(Report.table(results))
// Before the log lines below, which go to standard error: the two often share a file.
fflush(nil)  // every output stream: `stdout` itself is not concurrency-safe to name
var document: [String: Any] = [
    "generated_at": ISO8601DateFormatter().string(from: Date()),
    "machine": Report.machine(),
    "scale": scale,
    "scenarios": results.map(\.json),
]
if let ratio = Percentile.of(Array(Verdicts.slowKeyRatios(results).values), 50) {
    document["slow_key_median_ratio"] = ScenarioResult.rounded(ratio, places: 3)
}
let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
try data.write(to: URL(fileURLWithPath: jsonPath))
log("JSON report: \(jsonPath); worker logs: \(runDirectory.path)")
let healthy = results.allSatisfy(\.isHealthy)
exit(failed || !healthy ? 1 : 0)
