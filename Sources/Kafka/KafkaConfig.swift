/// librdkafka properties as given (string key/value), applied in `rd_kafka_conf_set` order by key.
///
/// Keys and values are those of librdkafka's CONFIGURATION.md (`bootstrap.servers`, `group.id`, ...).
/// Invalid keys or values are reported when a client is created, as a ``KafkaError`` naming the property.
public struct KafkaConfig: Sendable {
    /// The properties.
    public var properties: [String: String]

    /// Creates a configuration from properties.
    public init(_ properties: [String: String] = [:]) {
        self.properties = properties
    }

    /// Reads or sets one property; `nil` removes it.
    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// A copy with `other`'s properties applied on top of these.
    public func merging(_ other: KafkaConfig) -> KafkaConfig {
        KafkaConfig(properties.merging(other.properties) { _, new in new })
    }

    /// Checks every property with librdkafka (names and values) without creating a client, so a bad setting is
    /// reported at start as configuration, not later as a runtime failure.
    /// - Throws: ``KafkaError`` naming the first property librdkafka refuses.
    public func validate() throws(KafkaError) {
        try RDKafkaClientFactory.validate(self)
    }
}
