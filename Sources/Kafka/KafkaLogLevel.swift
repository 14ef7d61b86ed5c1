/// Severity of a librdkafka log line, mapped from its syslog level.
public enum KafkaLogLevel: Sendable, Comparable {
    /// syslog 7.
    case debug
    /// syslog 5 and 6.
    case info
    /// syslog 4.
    case warning
    /// syslog 0 to 3.
    case error

    /// Maps a syslog level (0 emergency ... 7 debug).
    init(syslogLevel: Int32) {
        switch syslogLevel {
        case ...3: self = .error
        case 4: self = .warning
        case 5, 6: self = .info
        default: self = .debug
        }
    }
}
