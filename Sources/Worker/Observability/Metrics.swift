import Foundation
import Locking

/// The series of a counter or gauge: one value per label-value list, behind a lock.
final class LabeledSeries: Sendable {
    private let values = Locked<[[String]: Double]>([:])

    /// Changes the series values under the lock.
    func update(_ body: (inout [[String]: Double]) -> Void) { values.withLock { body(&$0) } }
    /// The current value of one series (0 when absent).
    func value(_ labels: [String]) -> Double { values.withLock { $0[labels] ?? 0 } }
    /// Every series and its value.
    func samples() -> [([String], Double)] { values.withLock { $0.map { ($0.key, $0.value) } } }
}

/// A monotonically increasing count, optionally split by label values.
public final class Counter: Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    private let series = LabeledSeries()

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Adds `amount` to the series with `labels` (in the order of the counter's label names).
    public func increment(_ labels: [String] = [], by amount: Double = 1) {
        series.update { $0[labels, default: 0] += amount }
    }

    /// The current value of one series.
    public func value(_ labels: [String] = []) -> Double { series.value(labels) }

    func samples() -> [([String], Double)] { series.samples() }
}

/// A value that goes up and down, optionally split by label values.
public final class Gauge: Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    private let series = LabeledSeries()

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Sets the series with `labels`.
    public func set(_ value: Double, _ labels: [String] = []) { series.update { $0[labels] = value } }
    /// Adds to the series with `labels`.
    public func add(_ delta: Double, _ labels: [String] = []) { series.update { $0[labels, default: 0] += delta } }
    /// Removes every series (e.g. per-partition lag after a revoke).
    public func reset() { series.update { $0.removeAll() } }
    /// The current value of one series.
    public func value(_ labels: [String] = []) -> Double { series.value(labels) }

    func samples() -> [([String], Double)] { series.samples() }
}

/// Observations counted in cumulative buckets (Prometheus histogram).
public final class Histogram: Sendable {
    let name: String
    let help: String
    let bounds: [Double]
    private struct State {
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }
    private let state: Locked<State>

    init(name: String, help: String, bounds: [Double]) {
        self.name = name
        self.help = help
        self.bounds = bounds
        self.state = Locked(State(counts: Array(repeating: 0, count: bounds.count)))
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        state.withLock { state in
            if let index = bounds.firstIndex(where: { value <= $0 }) { state.counts[index] += 1 }
            state.sum += value
            state.count += 1
        }
    }

    /// Observations so far.
    public var count: UInt64 { state.withLock { $0.count } }

    func render(into text: inout String) {
        let snapshot = state.withLock { $0 }
        var cumulative: UInt64 = 0
        for (index, bound) in bounds.enumerated() {
            cumulative += snapshot.counts[index]
            text += "\(name)_bucket{le=\"\(MetricsRegistry.format(bound))\"} \(cumulative)\n"
        }
        text += "\(name)_bucket{le=\"+Inf\"} \(snapshot.count)\n"
        text += "\(name)_sum \(MetricsRegistry.format(snapshot.sum))\n"
        text += "\(name)_count \(snapshot.count)\n"
    }
}

/// Owns every metric and renders them in the Prometheus text exposition format 0.0.4.
public final class MetricsRegistry: Sendable {
    private enum Metric {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }
    private let metrics = Locked<[Metric]>([])

    /// Creates an empty registry.
    public init() {}

    /// Registers a counter.
    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        let counter = Counter(name: name, help: help, labelNames: labels)
        metrics.withLock { $0.append(.counter(counter)) }
        return counter
    }

    /// Registers a gauge.
    public func gauge(_ name: String, help: String, labels: [String] = []) -> Gauge {
        let gauge = Gauge(name: name, help: help, labelNames: labels)
        metrics.withLock { $0.append(.gauge(gauge)) }
        return gauge
    }

    /// Registers a histogram with the given upper bounds.
    public func histogram(_ name: String, help: String, bounds: [Double]) -> Histogram {
        let histogram = Histogram(name: name, help: help, bounds: bounds)
        metrics.withLock { $0.append(.histogram(histogram)) }
        return histogram
    }

    /// The whole registry in the text exposition format.
    public func render() -> String {
        var text = ""
        for metric in metrics.withLock({ $0 }) {
            switch metric {
            case .counter(let counter):
                text += "# HELP \(counter.name) \(counter.help)\n# TYPE \(counter.name) counter\n"
                MetricsRegistry.renderSamples(
                    counter.samples(), name: counter.name, labels: counter.labelNames, into: &text)
            case .gauge(let gauge):
                text += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n"
                MetricsRegistry.renderSamples(gauge.samples(), name: gauge.name, labels: gauge.labelNames, into: &text)
            case .histogram(let histogram):
                text += "# HELP \(histogram.name) \(histogram.help)\n# TYPE \(histogram.name) histogram\n"
                histogram.render(into: &text)
            }
        }
        return text
    }

    private static func renderSamples(
        _ samples: [([String], Double)], name: String, labels: [String], into text: inout String
    ) {
        if samples.isEmpty && labels.isEmpty {
            text += "\(name) 0\n"
            return
        }
        for (values, value) in samples.sorted(by: { $0.0.lexicographicallyPrecedes($1.0) }) {
            if labels.isEmpty {
                text += "\(name) \(format(value))\n"
            } else {
                let pairs = zip(labels, values).map { "\($0)=\"\(escape($1))\"" }.joined(separator: ",")
                text += "\(name){\(pairs)} \(format(value))\n"
            }
        }
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
