public import CatFee
import Foundation
import Kafka

/// A setting that is missing or invalid: the process exits 64 (EX_USAGE) with this one-line message.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The setting's environment variable name.
    public var setting: String
    /// What is wrong and what is allowed.
    public var reason: String

    /// Creates an error.
    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "invalid configuration: \(setting): \(reason)" }
}

/// One documented setting: its variable, default and meaning (the `--help` text and README table).
public struct SettingDescriptor: Sendable {
    /// Environment variable.
    public var name: String
    /// Default, or `required` / `none`.
    public var defaultValue: String
    /// What it does.
    public var help: String
    /// The command-line flag that mirrors it.
    public var flag: String { "--" + name.lowercased().replacingOccurrences(of: "_", with: "-") }
}

/// Everything `catfee-worker run` needs, parsed and validated once at start.
public struct WorkerConfiguration: Sendable {
    /// Kafka bootstrap servers.
    public var bootstrapServers: String
    /// Consumer group.
    public var groupID: String
    /// Static membership id (`group.instance.id`), if any.
    public var groupInstanceID: String?
    /// Topics.
    public var intentsTopic: String
    /// Results topic.
    public var resultsTopic: String
    /// Dead-letter topic.
    public var deadLetterTopic: String
    /// Extra librdkafka properties from `KAFKA_PROPERTIES_FILE` (applied to consumer and producer).
    public var kafkaProperties: [String: String]
    /// Path of the properties file, for display.
    public var kafkaPropertiesFile: String?
    /// CatFee client settings (credentials inside).
    public var catFee: CatFeeClientConfiguration
    /// Address of the health and metrics endpoints.
    public var httpListen: (host: String, port: UInt16)
    /// Bound on the graceful drain.
    public var shutdownTimeout: Duration
    /// Log level.
    public var logLevel: LogLevel
    /// Log format.
    public var logFormat: LogFormat
    /// Pipeline tuning.
    public var pipeline: PipelineConfiguration
    /// How often the account balance is polled for the metric (nil: never).
    public var accountPollInterval: Duration?

    /// Every setting, with its default and meaning.
    public static let settings: [SettingDescriptor] = [
        .init(name: "KAFKA_BOOTSTRAP_SERVERS", defaultValue: "required", help: "comma-separated host:port list"),
        .init(name: "KAFKA_GROUP_ID", defaultValue: "catfee-worker", help: "consumer group"),
        .init(
            name: "KAFKA_GROUP_INSTANCE_ID", defaultValue: "none",
            help: "static membership id (group.instance.id), e.g. the pod name"),
        .init(name: "INTENTS_TOPIC", defaultValue: "purchase-intents", help: "topic the intents are read from"),
        .init(name: "RESULTS_TOPIC", defaultValue: "purchase-results", help: "topic the order results are written to"),
        .init(name: "DLQ_TOPIC", defaultValue: "purchase-intents.dlq", help: "dead-letter topic"),
        .init(
            name: "KAFKA_PROPERTIES_FILE", defaultValue: "none",
            help: "Java-style .properties file of extra librdkafka settings for consumer and producer"),
        .init(
            name: "CATFEE_BASE_URL", defaultValue: "https://api.catfee.io",
            help: "API base URL (testnet: https://nile.catfee.io)"),
        .init(name: "CATFEE_API_KEY", defaultValue: "required", help: "API key, sent as CF-ACCESS-KEY"),
        .init(name: "CATFEE_API_SECRET", defaultValue: "required unless _FILE", help: "HMAC secret"),
        .init(
            name: "CATFEE_API_SECRET_FILE", defaultValue: "none",
            help: "file holding the HMAC secret (one trailing newline ignored)"),
        .init(name: "CATFEE_SIGNATURE_SCOPE", defaultValue: "path-and-query", help: "path-and-query or path"),
        .init(name: "CATFEE_CONNECT_TIMEOUT_MS", defaultValue: "5000", help: "TCP/TLS connect timeout per request"),
        .init(name: "CATFEE_REQUEST_TIMEOUT_MS", defaultValue: "15000", help: "whole-request timeout"),
        .init(
            name: "CATFEE_MAX_REQUESTS_PER_SECOND", defaultValue: "unlimited", help: "process-wide request rate limit"),
        .init(
            name: "CATFEE_MAX_CONCURRENT_REQUESTS", defaultValue: "MAX_IN_FLIGHT",
            help: "process-wide concurrent request limit"),
        .init(
            name: "CATFEE_RETRY_INITIAL_MS", defaultValue: "200", help: "first retry backoff (full jitter, doubling)"),
        .init(name: "CATFEE_RETRY_MAX_MS", defaultValue: "30000", help: "retry backoff cap"),
        .init(
            name: "ACCOUNT_PROBE_INITIAL_MS", defaultValue: "1000",
            help: "first probe backoff while the account is blocked (401, insufficient balance)"),
        .init(
            name: "ACCOUNT_PROBE_MAX_MS", defaultValue: "60000", help: "probe backoff cap while the account is blocked"),
        .init(name: "ACCOUNT_POLL_INTERVAL_MS", defaultValue: "60000", help: "balance metric poll interval (0: off)"),
        .init(
            name: "MAX_IN_FLIGHT", defaultValue: "64",
            help: "intents calling CatFee at once, across and within partitions (publishing holds no slot)"),
        .init(
            name: "MAX_BUFFERED", defaultValue: "10000",
            help: "consumed intents waiting for a slot; reaching MAX_IN_FLIGHT + this pauses the partitions"),
        .init(
            name: "REVOKE_TIMEOUT_MS", defaultValue: "10000",
            help: "bound on finishing revoked partitions' in-flight intents"),
        .init(name: "HTTP_LISTEN", defaultValue: "0.0.0.0:8080", help: "address of /healthz, /readyz, /metrics"),
        .init(name: "SHUTDOWN_TIMEOUT_MS", defaultValue: "30000", help: "bound on the graceful drain"),
        .init(name: "LOG_LEVEL", defaultValue: "info", help: "debug, info, warning, error"),
        .init(name: "LOG_FORMAT", defaultValue: "json", help: "json or text"),
    ]

    /// librdkafka settings the delivery guarantee depends on, with the values allowed for them.
    public static let protectedProperties: [String: Set<String>] = [
        "enable.auto.offset.store": ["false"],
        "enable.idempotence": ["true"],
        "acks": ["all", "-1"],
        "request.required.acks": ["all", "-1"],
    ]

    /// Parses the environment, with command-line flags (`--kafka-group-id X` or `--kafka-group-id=X`) winning.
    public static func load(
        environment: [String: String], arguments: [String] = []
    ) throws(ConfigurationError) -> WorkerConfiguration {
        var values = environment
        try applyFlags(arguments, to: &values)
        func value(_ name: String) -> String? {
            guard let raw = values[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func required(_ name: String) throws(ConfigurationError) -> String {
            guard let raw = value(name) else { throw ConfigurationError(setting: name, reason: "is required") }
            return raw
        }
        func integer(_ name: String, _ fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw ConfigurationError(
                    setting: name,
                    reason: "must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(raw)'")
            }
            return number
        }
        func milliseconds(_ name: String, _ fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError)
            -> Duration
        {
            .milliseconds(try integer(name, fallback, range: range))
        }

        let bootstrap = try required("KAFKA_BOOTSTRAP_SERVERS")
        for server in bootstrap.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = server.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.lastIndex(of: ":"), colon != trimmed.startIndex,
                let port = Int(trimmed[trimmed.index(after: colon)...]), (1...65535).contains(port)
            else {
                throw ConfigurationError(
                    setting: "KAFKA_BOOTSTRAP_SERVERS",
                    reason: "must be a comma-separated host:port list, got '\(trimmed)'")
            }
        }
        let apiKey = try required("CATFEE_API_KEY")
        let secret: String
        switch (value("CATFEE_API_SECRET"), value("CATFEE_API_SECRET_FILE")) {
        case (.some, .some):
            throw ConfigurationError(
                setting: "CATFEE_API_SECRET", reason: "set either it or CATFEE_API_SECRET_FILE, not both")
        case (.some(let inline), nil):
            secret = inline
        case (nil, .some(let path)):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(setting: "CATFEE_API_SECRET_FILE", reason: "cannot read '\(path)'")
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\r\n") {
                text.removeLast(1)
            } else if text.hasSuffix("\n") {
                text.removeLast()
            }
            guard !text.isEmpty else {
                throw ConfigurationError(setting: "CATFEE_API_SECRET_FILE", reason: "'\(path)' is empty")
            }
            secret = text
        case (nil, nil):
            throw ConfigurationError(setting: "CATFEE_API_SECRET", reason: "is required (or CATFEE_API_SECRET_FILE)")
        }
        let baseURL = value("CATFEE_BASE_URL") ?? "https://api.catfee.io"
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil, url.query == nil
        else {
            throw ConfigurationError(
                setting: "CATFEE_BASE_URL", reason: "must be an http(s) URL with a host, got '\(baseURL)'")
        }
        let scopeText = value("CATFEE_SIGNATURE_SCOPE") ?? "path-and-query"
        guard let scope = SignatureScope(rawValue: scopeText) else {
            throw ConfigurationError(
                setting: "CATFEE_SIGNATURE_SCOPE", reason: "must be path-and-query or path, got '\(scopeText)'")
        }
        let levelText = value("LOG_LEVEL") ?? "info"
        guard let level = LogLevel(rawValue: levelText.lowercased()) else {
            throw ConfigurationError(
                setting: "LOG_LEVEL", reason: "must be debug, info, warning or error, got '\(levelText)'")
        }
        let formatText = value("LOG_FORMAT") ?? "json"
        guard let format = LogFormat(rawValue: formatText.lowercased()) else {
            throw ConfigurationError(setting: "LOG_FORMAT", reason: "must be json or text, got '\(formatText)'")
        }
        let listen = try parseListen(value("HTTP_LISTEN") ?? "0.0.0.0:8080")
        let maxInFlight = try integer("MAX_IN_FLIGHT", 64, range: 1...100_000)
        var rate: Double?
        if let raw = value("CATFEE_MAX_REQUESTS_PER_SECOND"), raw != "unlimited" {
            guard let number = Double(raw), number > 0, number.isFinite else {
                throw ConfigurationError(
                    setting: "CATFEE_MAX_REQUESTS_PER_SECOND",
                    reason: "must be a positive number or 'unlimited', got '\(raw)'")
            }
            rate = number
        }
        let retryInitial = try milliseconds("CATFEE_RETRY_INITIAL_MS", 200, range: 1...600_000)
        let retryMax = try milliseconds("CATFEE_RETRY_MAX_MS", 30_000, range: 1...3_600_000)
        guard retryMax >= retryInitial else {
            throw ConfigurationError(
                setting: "CATFEE_RETRY_MAX_MS", reason: "must not be below CATFEE_RETRY_INITIAL_MS")
        }
        let pollMs = try integer("ACCOUNT_POLL_INTERVAL_MS", 60_000, range: 0...86_400_000)
        let probeInitial = try milliseconds("ACCOUNT_PROBE_INITIAL_MS", 1_000, range: 1...600_000)
        let probeMax = try milliseconds("ACCOUNT_PROBE_MAX_MS", 60_000, range: 1...3_600_000)
        guard probeMax >= probeInitial else {
            throw ConfigurationError(
                setting: "ACCOUNT_PROBE_MAX_MS", reason: "must not be below ACCOUNT_PROBE_INITIAL_MS")
        }

        var properties: [String: String] = [:]
        let propertiesFile = value("KAFKA_PROPERTIES_FILE")
        if let path = propertiesFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(setting: "KAFKA_PROPERTIES_FILE", reason: "cannot read '\(path)'")
            }
            do {
                properties = try JavaProperties.parse(String(decoding: data, as: UTF8.self))
            } catch {
                throw ConfigurationError(setting: "KAFKA_PROPERTIES_FILE", reason: error.description)
            }
            for (key, allowed) in protectedProperties {
                if let given = properties[key], !allowed.contains(given.lowercased()) {
                    throw ConfigurationError(
                        setting: "KAFKA_PROPERTIES_FILE",
                        reason:
                            "\(key)=\(given) would weaken the delivery guarantee; allowed: \(allowed.sorted().joined(separator: " or "))"
                    )
                }
            }
        }

        let intentsTopic = value("INTENTS_TOPIC") ?? "purchase-intents"
        let resultsTopic = value("RESULTS_TOPIC") ?? "purchase-results"
        let deadLetterTopic = value("DLQ_TOPIC") ?? "purchase-intents.dlq"
        for (name, topic) in [
            ("INTENTS_TOPIC", intentsTopic), ("RESULTS_TOPIC", resultsTopic), ("DLQ_TOPIC", deadLetterTopic),
        ] {
            // Kafka's own rule for topic names.
            let legal = topic.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
            guard legal, topic.utf8.count <= 249, topic != ".", topic != ".." else {
                throw ConfigurationError(
                    setting: name, reason: "must be a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -), got '\(topic)'")
            }
        }
        guard resultsTopic != intentsTopic, deadLetterTopic != intentsTopic else {
            throw ConfigurationError(
                setting: resultsTopic == intentsTopic ? "RESULTS_TOPIC" : "DLQ_TOPIC",
                reason: "must differ from INTENTS_TOPIC (the worker would consume its own output)")
        }

        var catFee = CatFeeClientConfiguration(credentials: CatFeeCredentials(apiKey: apiKey, apiSecret: secret))
        catFee.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        catFee.signatureScope = scope
        catFee.connectTimeout = try milliseconds("CATFEE_CONNECT_TIMEOUT_MS", 5_000, range: 1...600_000)
        catFee.requestTimeout = try milliseconds("CATFEE_REQUEST_TIMEOUT_MS", 15_000, range: 1...600_000)
        catFee.maxConcurrentRequests = try integer("CATFEE_MAX_CONCURRENT_REQUESTS", maxInFlight, range: 1...100_000)
        catFee.maxRequestsPerSecond = rate

        let configuration = WorkerConfiguration(
            bootstrapServers: bootstrap,
            groupID: value("KAFKA_GROUP_ID") ?? "catfee-worker",
            groupInstanceID: value("KAFKA_GROUP_INSTANCE_ID"),
            intentsTopic: intentsTopic,
            resultsTopic: resultsTopic,
            deadLetterTopic: deadLetterTopic,
            kafkaProperties: properties,
            kafkaPropertiesFile: propertiesFile,
            catFee: catFee,
            httpListen: listen,
            shutdownTimeout: try milliseconds("SHUTDOWN_TIMEOUT_MS", 30_000, range: 100...3_600_000),
            logLevel: level,
            logFormat: format,
            pipeline: PipelineConfiguration(
                resultsTopic: resultsTopic,
                deadLetterTopic: deadLetterTopic,
                maxInFlight: maxInFlight,
                maxBuffered: try integer("MAX_BUFFERED", 10_000, range: 0...1_000_000),
                revokeTimeout: try milliseconds("REVOKE_TIMEOUT_MS", 10_000, range: 0...600_000),
                apiRetry: RetryPolicy(initialBackoff: retryInitial, maxBackoff: retryMax),
                accountProbe: RetryPolicy(initialBackoff: probeInitial, maxBackoff: probeMax)
            ),
            accountPollInterval: pollMs == 0 ? nil : .milliseconds(pollMs)
        )
        // librdkafka checks every property (the file's and the worker's own) now, not when the clients start.
        for properties in [configuration.consumerProperties, configuration.producerProperties] {
            do {
                try KafkaConfig(properties).validate()
            } catch {
                throw ConfigurationError(
                    setting: propertiesFile == nil ? "KAFKA_BOOTSTRAP_SERVERS" : "KAFKA_PROPERTIES_FILE",
                    reason: error.message)
            }
        }
        return configuration
    }

    private static func applyFlags(_ arguments: [String], to values: inout [String: String]) throws(ConfigurationError)
    {
        let byFlag = Dictionary(uniqueKeysWithValues: settings.map { ($0.flag, $0.name) })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            var flag = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            guard let name = byFlag[flag] else {
                throw ConfigurationError(setting: argument, reason: "unknown option (see catfee-worker --help)")
            }
            if let inline {
                values[name] = inline
            } else {
                guard index + 1 < arguments.count else {
                    throw ConfigurationError(setting: name, reason: "\(flag) needs a value")
                }
                index += 1
                values[name] = arguments[index]
            }
            index += 1
        }
    }

    private static func parseListen(_ text: String) throws(ConfigurationError) -> (String, UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ConfigurationError(setting: "HTTP_LISTEN", reason: "must be host:port, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// librdkafka properties of the consumer: the worker's defaults, then the file, then what the guarantee needs.
    public var consumerProperties: [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "group.id": groupID,
            "client.id": "catfee-worker",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": "true",
            "auto.commit.interval.ms": "5000",
            "partition.assignment.strategy": "cooperative-sticky",
            "statistics.interval.ms": "5000",
            "enable.partition.eof": "false",
            "socket.nagle.disable": "true",
        ]
        if let groupInstanceID { properties["group.instance.id"] = groupInstanceID }
        properties.merge(kafkaProperties.filter { !WorkerConfiguration.producerOnly.contains($0.key) }) { $1 }
        properties["enable.auto.offset.store"] = "false"
        return properties
    }

    /// librdkafka properties of the producer: defaults, the file, then idempotence and acks=all.
    public var producerProperties: [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": "catfee-worker",
            // Every millisecond of linger is a millisecond of every intent's latency, and with any linger librdkafka
            // 2.0.2 reports a delivery about a millisecond after the result is already in the broker. So no linger,
            // and one produce request in flight per broker: results that come while one is out form the next batch
            // (with 0 and librdkafka's 5 in flight, each result went in a request of its own, at 15 to 150 µs more
            // CPU per intent). Measured against `linger.ms=1` with 5 in flight: 2–3 ms less at the median, about
            // 20 µs more CPU per intent at 100 ms of API latency, within the noise in drains (README, Performance).
            "linger.ms": "0",
            "max.in.flight.requests.per.connection": "1",
            // Nagle's algorithm holds small produce requests back until the previous segment is acknowledged; with
            // the peer's delayed ACK every result waited about 40 ms (measured by the benchmark).
            "socket.nagle.disable": "true",
        ]
        // A default the file sets under its other name gives way: librdkafka would apply both, in no set order.
        for (name, alias) in WorkerConfiguration.producerDefaultAliases
        where kafkaProperties[alias] != nil && kafkaProperties[name] == nil {
            properties.removeValue(forKey: name)
        }
        properties.merge(kafkaProperties.filter { !WorkerConfiguration.consumerOnly.contains($0.key) }) { $1 }
        properties["enable.idempotence"] = "true"
        properties["acks"] = "all"
        properties.removeValue(forKey: "request.required.acks")
        return properties
    }

    /// The producer defaults that librdkafka also knows under another name.
    static let producerDefaultAliases = [
        ("linger.ms", "queue.buffering.max.ms"), ("max.in.flight.requests.per.connection", "max.in.flight"),
    ]
    static let consumerOnly: Set<String> = [
        "group.id", "group.instance.id", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms",
        "auto.offset.reset", "enable.auto.commit", "auto.commit.interval.ms", "enable.auto.offset.store",
        "partition.assignment.strategy", "fetch.min.bytes", "fetch.max.bytes", "fetch.wait.max.ms",
        "max.partition.fetch.bytes", "queued.min.messages", "queued.max.messages.kbytes", "isolation.level",
        "enable.partition.eof", "check.crcs", "group.protocol.type",
    ]
    static let producerOnly: Set<String> = [
        "acks", "request.required.acks", "enable.idempotence", "linger.ms", "queue.buffering.max.ms",
        "batch.num.messages", "batch.size", "message.timeout.ms", "delivery.timeout.ms", "compression.type",
        "compression.codec", "retries", "message.send.max.retries", "retry.backoff.ms",
        "max.in.flight.requests.per.connection", "max.in.flight", "queue.buffering.max.messages",
        "queue.buffering.max.kbytes", "partitioner", "sticky.partitioning.linger.ms", "transactional.id",
    ]

    /// The effective configuration as `name=value` lines, secrets masked (`check-config`).
    public var maskedDescription: String {
        var lines: [String] = [
            "KAFKA_BOOTSTRAP_SERVERS=\(bootstrapServers)",
            "KAFKA_GROUP_ID=\(groupID)",
            "KAFKA_GROUP_INSTANCE_ID=\(groupInstanceID ?? "none")",
            "INTENTS_TOPIC=\(intentsTopic)",
            "RESULTS_TOPIC=\(resultsTopic)",
            "DLQ_TOPIC=\(deadLetterTopic)",
            "KAFKA_PROPERTIES_FILE=\(kafkaPropertiesFile ?? "none")",
            "CATFEE_BASE_URL=\(catFee.baseURL)",
            "CATFEE_API_KEY=\(WorkerConfiguration.mask(catFee.credentials.apiKey))",
            "CATFEE_API_SECRET=(redacted)",
            "CATFEE_SIGNATURE_SCOPE=\(catFee.signatureScope.rawValue)",
            "CATFEE_CONNECT_TIMEOUT_MS=\(Self.ms(catFee.connectTimeout))",
            "CATFEE_REQUEST_TIMEOUT_MS=\(Self.ms(catFee.requestTimeout))",
            "CATFEE_MAX_REQUESTS_PER_SECOND=\(catFee.maxRequestsPerSecond.map { String($0) } ?? "unlimited")",
            "CATFEE_MAX_CONCURRENT_REQUESTS=\(catFee.maxConcurrentRequests)",
            "CATFEE_RETRY_INITIAL_MS=\(Self.ms(pipeline.apiRetry.initialBackoff))",
            "CATFEE_RETRY_MAX_MS=\(Self.ms(pipeline.apiRetry.maxBackoff))",
            "ACCOUNT_PROBE_INITIAL_MS=\(Self.ms(pipeline.accountProbe.initialBackoff))",
            "ACCOUNT_PROBE_MAX_MS=\(Self.ms(pipeline.accountProbe.maxBackoff))",
            "ACCOUNT_POLL_INTERVAL_MS=\(accountPollInterval.map { String(Self.ms($0)) } ?? "0")",
            "MAX_IN_FLIGHT=\(pipeline.maxInFlight)",
            "MAX_BUFFERED=\(pipeline.maxBuffered)",
            "REVOKE_TIMEOUT_MS=\(Self.ms(pipeline.revokeTimeout))",
            "HTTP_LISTEN=\(httpListen.host):\(httpListen.port)",
            "SHUTDOWN_TIMEOUT_MS=\(Self.ms(shutdownTimeout))",
            "LOG_LEVEL=\(logLevel.rawValue)",
            "LOG_FORMAT=\(logFormat.rawValue)",
        ]
        for (key, value) in kafkaProperties.sorted(by: { $0.key < $1.key }) {
            let sensitive =
                key.contains("password") || key.contains("secret") || key.hasSuffix(".key.pem")
                || key.contains("sasl.jaas") || key.contains("token")
            lines.append("kafka: \(key)=\(sensitive ? "(redacted)" : value)")
        }
        return lines.joined(separator: "\n")
    }

    /// Values that must never be printed (registered with the logger's redaction).
    public var secrets: [String] {
        var values = [catFee.credentials.apiKey, catFee.credentials.apiSecret]
        for (key, value) in kafkaProperties where key.contains("password") || key.contains("secret") {
            values.append(value)
        }
        return values
    }

    static func mask(_ value: String) -> String {
        value.count <= 8 ? "(redacted)" : String(value.prefix(2)) + "…(redacted)"
    }

    static func ms(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
