import CatFee
import Foundation
import Testing
import Worker

@Suite struct WorkerConfigurationTests {
    static let minimal = [
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092", "CATFEE_API_KEY": "key-123456789",
        "CATFEE_API_SECRET": "secret-abcdefgh",
    ]

    @Test func appliesDocumentedDefaults() throws {
        let configuration = try WorkerConfiguration.load(environment: Self.minimal)
        #expect(configuration.groupID == "catfee-worker")
        #expect(configuration.intentsTopic == "purchase-intents")
        #expect(configuration.resultsTopic == "purchase-results")
        #expect(configuration.deadLetterTopic == "purchase-intents.dlq")
        #expect(configuration.catFee.baseURL == "https://api.catfee.io")
        #expect(configuration.catFee.signatureScope == .pathAndQuery)
        #expect(configuration.httpListen.host == "0.0.0.0")
        #expect(configuration.httpListen.port == 8080)
        #expect(configuration.shutdownTimeout == .seconds(30))
        #expect(configuration.pipeline.maxInFlight == 64)
        let consumer = configuration.consumerProperties
        #expect(consumer["enable.auto.offset.store"] == "false")
        #expect(consumer["auto.offset.reset"] == "earliest")
        #expect(consumer["auto.commit.interval.ms"] == "5000")
        let producer = configuration.producerProperties
        #expect(producer["enable.idempotence"] == "true")
        #expect(producer["acks"] == "all")
        #expect(producer["linger.ms"] == "0")
        #expect(producer["max.in.flight.requests.per.connection"] == "1")
    }

    @Test(arguments: [
        ("KAFKA_BOOTSTRAP_SERVERS", nil as String?), ("KAFKA_BOOTSTRAP_SERVERS", "nohostport"),
        ("CATFEE_API_KEY", nil), ("CATFEE_SIGNATURE_SCOPE", "query"), ("LOG_LEVEL", "verbose"),
        ("HTTP_LISTEN", "8080"), ("SHUTDOWN_TIMEOUT_MS", "soon"), ("MAX_IN_FLIGHT", "0"),
        ("CATFEE_BASE_URL", "ftp://x"), ("CATFEE_MAX_REQUESTS_PER_SECOND", "-5"),
        ("INTENTS_TOPIC", "bad topic!"), ("RESULTS_TOPIC", "purchase-intents"), ("DLQ_TOPIC", "purchase-intents"),
        ("RESULTS_TOPIC", String(repeating: "r", count: 250)),
    ])
    func namesTheBadSetting(_ name: String, _ value: String?) {
        var environment = Self.minimal
        environment[name] = value
        do {
            _ = try WorkerConfiguration.load(environment: environment)
            Issue.record("expected \(name)=\(value ?? "unset") to be refused")
        } catch {
            #expect(error.setting == name)
            #expect(!error.description.contains("secret-abcdefgh"))
        }
    }

    @Test func flagsWinOverEnvironment() throws {
        let configuration = try WorkerConfiguration.load(
            environment: Self.minimal, arguments: ["--kafka-group-id", "from-flag", "--max-in-flight=8"])
        #expect(configuration.groupID == "from-flag")
        #expect(configuration.pipeline.maxInFlight == 8)
        #expect(throws: ConfigurationError.self) {
            try WorkerConfiguration.load(environment: Self.minimal, arguments: ["--no-such-flag", "1"])
        }
    }

    @Test func readsTheSecretFileIgnoringOneTrailingNewline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try "s3cr3t-from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var environment = Self.minimal
        environment["CATFEE_API_SECRET"] = nil
        environment["CATFEE_API_SECRET_FILE"] = path
        let configuration = try WorkerConfiguration.load(environment: environment)
        #expect(configuration.catFee.credentials.apiSecret == "s3cr3t-from-file")
        environment["CATFEE_API_SECRET"] = "both"
        #expect(throws: ConfigurationError.self) { try WorkerConfiguration.load(environment: environment) }
    }

    /// A producer default set in the file under librdkafka's other name for it is replaced, not set twice in no
    /// particular order.
    @Test func propertiesFileOverridesADefaultUnderItsAlias() throws {
        try Self.withPropertiesFile { path, environment in
            try "max.in.flight=5\nqueue.buffering.max.ms=2\n".write(toFile: path, atomically: true, encoding: .utf8)
            let producer = try WorkerConfiguration.load(environment: environment).producerProperties
            #expect(producer["max.in.flight"] == "5")
            #expect(producer["max.in.flight.requests.per.connection"] == nil)
            #expect(producer["queue.buffering.max.ms"] == "2")
            #expect(producer["linger.ms"] == nil)
        }
    }

    @Test func propertiesFileCannotWeakenTheGuarantee() throws {
        try Self.withPropertiesFile { path, environment in
            try "security.protocol=SASL_SSL\nsasl.password = hunter2-password\nsession.timeout.ms: 10000\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            let configuration = try WorkerConfiguration.load(environment: environment)
            #expect(configuration.consumerProperties["security.protocol"] == "SASL_SSL")
            #expect(configuration.consumerProperties["session.timeout.ms"] == "10000")
            #expect(configuration.producerProperties["sasl.password"] == "hunter2-password")
            #expect(!configuration.maskedDescription.contains("hunter2-password"))
            #expect(!configuration.maskedDescription.contains("secret-abcdefgh"))

            // librdkafka checks names and values at load time: a typo is a configuration error (exit 64), not a
            // runtime failure when the clients start.
            for invalid in [
                "enable.auto.offset.store=true", "enable.idempotence=false", "acks=1", "bogus.setting=1",
                "session.timeout.ms=soon", "linger.ms=-3",
            ] {
                try invalid.write(toFile: path, atomically: true, encoding: .utf8)
                do throws(ConfigurationError) {
                    _ = try WorkerConfiguration.load(environment: environment)
                    Issue.record("\(invalid) was accepted")
                } catch {
                    #expect(error.setting == "KAFKA_PROPERTIES_FILE")
                }
            }
        }
    }

    /// Runs `body` with the path of a properties file (removed afterwards) and an environment naming it.
    static func withPropertiesFile(_ body: (String, [String: String]) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kafka-\(UUID().uuidString).properties"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var environment = Self.minimal
        environment["KAFKA_PROPERTIES_FILE"] = path
        try body(path, environment)
    }

    @Test func parsesJavaProperties() throws {
        let text =
            "# comment\n! also\nkey1=value1\nkey2 : value 2\nkey3 value3\nlong = a\\\n    b\nesc=tab\\there\\u0041\n"
        let properties = try JavaProperties.parse(text)
        #expect(
            properties == ["key1": "value1", "key2": "value 2", "key3": "value3", "long": "ab", "esc": "tab\thereA"])
    }
}
