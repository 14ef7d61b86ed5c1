import Synchronization
import Testing
import Worker

@Suite struct MetricsTests {
    @Test func rendersPrometheusText() {
        let registry = MetricsRegistry()
        let counter = registry.counter("demo_total", help: "Demo.", labels: ["status"])
        counter.increment(["ORDERED"], by: 3)
        counter.increment(["REJECTED"])
        let histogram = registry.histogram("demo_seconds", help: "Latency.", bounds: [0.1, 1])
        histogram.observe(0.05)
        histogram.observe(0.5)
        histogram.observe(5)
        let text = registry.render()
        #expect(text.contains("# TYPE demo_total counter\n"))
        #expect(text.contains("demo_total{status=\"ORDERED\"} 3\n"))
        #expect(text.contains("demo_total{status=\"REJECTED\"} 1\n"))
        #expect(text.contains("demo_seconds_bucket{le=\"0.1\"} 1\n"))
        #expect(text.contains("demo_seconds_bucket{le=\"1\"} 2\n"))
        #expect(text.contains("demo_seconds_bucket{le=\"+Inf\"} 3\n"))
        #expect(text.contains("demo_seconds_count 3\n"))
    }

    @Test func loggerRedactsSecrets() {
        let lines = LineCollector()
        let sink = Logger.Sink(write: { lines.append($0) })
        sink.redact(["super-secret-value"])
        let logger = Logger(level: .debug, format: .json, sink: sink)
        logger.error("failed with super-secret-value inside", [("detail", "x super-secret-value y")])
        let text = lines.all.joined()
        #expect(!text.contains("super-secret-value"))
        #expect(text.contains("[redacted]"))
        #expect(text.hasPrefix("{\"ts\":"))
    }
}

final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
