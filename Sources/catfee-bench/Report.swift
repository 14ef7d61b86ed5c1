import Foundation

/// Judges each result against issue 6's targets.
enum Verdicts {
    static func judge(_ results: [ScenarioResult]) -> [ScenarioResult] {
        let slowKeyRatios = slowKeyRatios(results)
        let medianRatio = Percentile.of(Array(slowKeyRatios.values), 50)
        return results.map { result in
            var result = result
            var misses = result.healthProblems
            var notes: [String] = []
            switch result.scenario.name {
            case "drain":
                let capacityBound = (result.simulatorCapacity ?? .infinity) * 0.9
                let bound = min(6_000, capacityBound)
                if result.throughput < bound {
                    misses.append(String(format: "throughput %.0f/s below %.0f/s", result.throughput, bound))
                }
                if result.cpuMicrosPerIntent > 150 {
                    misses.append(String(format: "CPU %.0f µs/intent above 150", result.cpuMicrosPerIntent))
                }
                if result.peakRSSBytes > 150 * 1_048_576 { misses.append("peak RSS above 150 MB") }
            case "latency-100ms":
                if result.throughput < 2_300 {
                    misses.append(String(format: "throughput %.0f/s below 2,300/s", result.throughput))
                }
                if let p99 = result.latencyP99Ms, p99 > Double(result.scenario.apiLatencyMs) + 5 {
                    var note = String(format: "p99 %.1f ms above API latency + 5 ms", p99)
                    if let api = result.simulatorLatencyP99Ms, let kafka = result.kafkaPathLatencyP99Ms {
                        note += String(format: " (alone, p99: API %.1f ms, Kafka path %.1f ms)", api, kafka)
                    }
                    misses.append(note)
                }
            case "rate-limit-50":
                if abs(result.apiRequestRate - 50) / 50 > 0.02 {
                    misses.append(String(format: "request rate %.2f/s not within 2%% of 50/s", result.apiRequestRate))
                }
                if result.rateLimited > 0 { misses.append("\(result.rateLimited) requests got 429") }
            case "slow-key":
                guard let round = result.scenario.round, let ratio = slowKeyRatios[round], let medianRatio,
                    let times = result.keyTimes
                else {
                    misses.append("no baseline run to compare with")
                    break
                }
                let reachable = times.reachableBehindSlowKey(partitions: Int(result.scenario.partitions))
                let summary = String(
                    format:
                        "round %d: fast keys %.0f/s (last result at %.2f s), %.0f%% of the baseline's; slow key's"
                        + " result at %.2f s, %d of the %d intents behind it in its partition done before it"
                        + " (%d reachable in that time); median of %d rounds %.0f%%",
                    round, times.fastKeysThroughput, times.lastFastResultSeconds, ratio * 100,
                    times.slowKeyResultSeconds, times.behindSlowKeyFinishedFirst, times.behindSlowKey, reachable,
                    slowKeyRatios.count, medianRatio * 100)
                if medianRatio < 0.9 { misses.append(summary + ", below 90%") } else { notes.append(summary) }
                // A worker that held the partition behind the slow intent would finish none of them first. Those
                // that can finish first are all of them, or what an average partition did in the slow key's time;
                // half of that, because partitions are served unevenly (librdkafka hands over fetched batches
                // partition by partition): the partition behind the slow key has fallen to 73 % of the average.
                if times.behindSlowKeyFinishedFirst * 2 < reachable {
                    misses.append(
                        "\(times.behindSlowKeyFinishedFirst) of the intents behind the slow key finished before it,"
                            + " fewer than half the \(reachable) an average partition finished in that time")
                }
            default: break
            }
            result.verdict = (misses.isEmpty, (misses.isEmpty ? notes : misses).joined(separator: "; "))
            return result
        }
    }
}

extension Verdicts {
    /// Each slow-key round's fast-key throughput over that of the same round's baseline run (the same keys, all fast).
    static func slowKeyRatios(_ results: [ScenarioResult]) -> [Int: Double] {
        var ratios: [Int: Double] = [:]
        for slow in results where slow.scenario.name == "slow-key" {
            guard let round = slow.scenario.round, let slowTimes = slow.keyTimes,
                let baselineTimes = results.first(where: {
                    $0.scenario.name == "slow-key-baseline" && $0.scenario.round == round
                })?.keyTimes, baselineTimes.fastKeysThroughput > 0
            else { continue }
            ratios[round] = slowTimes.fastKeysThroughput / baselineTimes.fastKeysThroughput
        }
        return ratios
    }
}

/// The human-readable report.
enum Report {
    static func table(_ results: [ScenarioResult]) -> String {
        let header = [
            "scenario", "intents", "intents/s", "sim alone/s", "p50 ms", "p99 ms", "p99 to read",
            "alone p99: API / Kafka",
            "CPU µs/intent", "peak RSS MB",
            "req/intent", "API req/s", "429", "target",
        ]
        var rows = [header]
        for result in results {
            rows.append([
                result.scenario.label, String(result.intents), String(format: "%.0f", result.throughput),
                result.simulatorCapacity.map { String(format: "%.0f", $0) } ?? "-",
                result.latencyP50Ms.map { String(format: "%.1f", $0) } ?? "-",
                result.latencyP99Ms.map { String(format: "%.1f", $0) } ?? "-",
                Percentile.of(result.latency.toRead, 99).map { String(format: "%.1f", $0) } ?? "-",
                result.simulatorLatencyP99Ms.map { api in
                    String(format: "%.1f / %.1f", api, result.kafkaPathLatencyP99Ms ?? .nan)
                } ?? "-",
                String(format: "%.0f", result.cpuMicrosPerIntent),
                String(format: "%.1f", Double(result.peakRSSBytes) / 1_048_576),
                String(format: "%.3f", result.requestsPerIntent), String(format: "%.2f", result.apiRequestRate),
                String(result.rateLimited),
                !result.verdict.met ? "MISSED" : result.scenario.judged ? "met" : "-",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            "| "
                + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        lines.insert("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|", at: 1)
        for result in results where !result.verdict.note.isEmpty {
            lines.append("\(result.scenario.label): \(result.verdict.note)")
        }
        return lines.joined(separator: "\n")
    }

    /// CPU model, core count and memory of this machine.
    static func machine() -> [String: Any] {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return [
            "cpu": model, "cores": ProcessInfo.processInfo.activeProcessorCount,
            "memory_gb": Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824,
        ]
    }
}
