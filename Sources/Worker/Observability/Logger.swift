import Foundation
import Locking

/// Severity of a log line, in increasing order.
public enum LogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    private var rank: Int { LogLevel.allCases.firstIndex(of: self)! }
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// How log lines are written: one JSON object per line (machines) or `level message key=value` (terminals).
public enum LogFormat: String, Sendable, CaseIterable {
    case json, text
}

/// A small structured logger writing whole lines to standard error.
///
/// Values are passed as fields, never interpolated into messages by the caller, so they are escaped and the
/// secret-bearing settings can never slip in unnoticed: `Logger` redacts every value equal to a registered secret.
public struct Logger: Sendable {
    /// Where lines go and which secrets are redacted; shared by every copy of a logger.
    public final class Sink: Sendable {
        private let lock = Locked<Void>(())
        private let secrets: Locked<[String]> = Locked([])
        private let write: @Sendable (String) -> Void

        /// Creates a sink; by default it writes to standard error.
        public init(write: (@Sendable (String) -> Void)? = nil) {
            self.write = write ?? { line in FileHandle.standardError.write(Data(line.utf8)) }
        }

        /// Registers values that must never appear in a line (API key, API secret). Empty values are ignored.
        public func redact(_ values: [String]) {
            secrets.withLock { $0.append(contentsOf: values.filter { $0.count >= 4 }) }
        }

        func emit(_ line: String) {
            var line = line
            for secret in secrets.withLock({ $0 }) where line.contains(secret) {
                line = line.replacingOccurrences(of: secret, with: "[redacted]")
            }
            lock.withLock { _ in write(line) }
        }
    }

    /// Lines below this level are dropped.
    public var level: LogLevel
    /// Line format.
    public var format: LogFormat
    /// Fields added to every line of this logger.
    public var metadata: [(String, String)] = []
    /// Destination.
    public let sink: Sink

    /// Creates a logger.
    public init(level: LogLevel = .info, format: LogFormat = .json, sink: Sink = Sink()) {
        self.level = level
        self.format = format
        self.sink = sink
    }

    /// A logger that adds `fields` to every line.
    public func with(_ fields: [(String, String)]) -> Logger {
        var copy = self
        copy.metadata += fields
        return copy
    }

    /// Writes a line at `level` when enabled.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ fields: [(String, String)] = []) {
        guard level >= self.level else { return }
        let all = metadata + fields
        let timestamp = Logger.timestamp()
        switch format {
        case .json:
            var line = "{\"ts\":\"\(timestamp)\",\"level\":\"\(level.rawValue)\",\"msg\":" + Logger.quote(message())
            for (key, value) in all { line += "," + Logger.quote(key) + ":" + Logger.quote(value) }
            sink.emit(line + "}\n")
        case .text:
            var line = "\(timestamp) \(level.rawValue.uppercased()) \(message())"
            for (key, value) in all { line += " \(key)=\(value.contains(" ") ? Logger.quote(value) : value)" }
            sink.emit(line + "\n")
        }
    }

    /// Writes a debug line.
    public func debug(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) {
        log(.debug, message(), fields)
    }
    /// Writes an info line.
    public func info(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) {
        log(.info, message(), fields)
    }
    /// Writes a warning line.
    public func warning(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) {
        log(.warning, message(), fields)
    }
    /// Writes an error line.
    public func error(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) {
        log(.error, message(), fields)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
            Int(now.tv_nsec / 1_000)
        )
    }
}
