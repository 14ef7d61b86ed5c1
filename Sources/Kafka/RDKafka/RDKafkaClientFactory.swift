internal import CRdKafka

/// Creates librdkafka handles from a ``KafkaConfig`` with the log and statistics callbacks wired.
enum RDKafkaClientFactory {
    /// Which kind of handle to create.
    enum Kind {
        case producer
        case consumer
    }

    /// Sets every property on a throw-away `rd_kafka_conf_t`: the same check `make` does, without a client.
    /// - Throws: a ``KafkaError`` naming the first property librdkafka refuses (unknown name or invalid value).
    static func validate(_ config: KafkaConfig) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: KafkaErrorCode.invalidArgument, message: "rd_kafka_conf_new failed")
        }
        defer { rd_kafka_conf_destroy(conf) }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in config.properties.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) == RD_KAFKA_CONF_OK else {
                let reason = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw KafkaError(
                    code: KafkaErrorCode.invalidArgument, message: "invalid Kafka property '\(key)': \(reason)",
                    isRetriable: false)
            }
        }
    }

    /// Builds an `rd_kafka_conf_t`, lets `customize` add callbacks, and calls `rd_kafka_new`.
    ///
    /// The context is retained for the handle's lifetime: the caller must release it once with
    /// `Unmanaged.passUnretained(context).release()` after `rd_kafka_destroy`. On failure nothing is retained.
    /// - Throws: a ``KafkaError`` naming the property `rd_kafka_conf_set` refused, or `rd_kafka_new`'s reason.
    static func make(
        _ kind: Kind, config: KafkaConfig, context: RDKafkaCallbackContext,
        customize: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> RDKafkaHandle {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: KafkaErrorCode.invalidArgument, message: "rd_kafka_conf_new failed")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in config.properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw KafkaError(
                    code: KafkaErrorCode.invalidArgument,
                    message: "invalid Kafka property '\(key)': \(reason)", isRetriable: false)
            }
        }
        if context.logHandler != nil {
            rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        }
        if context.statsHandler != nil {
            rd_kafka_conf_set_stats_cb(conf, rdKafkaStatsCallback)
        }
        customize(conf)
        let opaque = Unmanaged.passRetained(context).toOpaque()
        rd_kafka_conf_set_opaque(conf, opaque)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            // On failure the application still owns conf.
            rd_kafka_conf_destroy(conf)
            Unmanaged.passUnretained(context).release()
            let reason = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(
                code: KafkaErrorCode.invalidArgument, message: "cannot create Kafka client: \(reason)",
                isRetriable: false)
        }
        return RDKafkaHandle(pointer: rk)
    }
}

/// Routes librdkafka log lines to the context's handler (called on librdkafka's threads).
private let rdKafkaLogCallback:
    @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
        rk, level, facility, line in
        guard let handler = RDKafkaCallbackContext.of(rk)?.logHandler else { return }
        let fac = facility.map { String(cString: $0) } ?? "-"
        let text = line.map { String(cString: $0) } ?? ""
        handler(KafkaLogLevel(syslogLevel: level), "[\(fac)] \(text)")
    }

/// Passes statistics JSON to the context's handler; returning 0 lets librdkafka free the buffer.
private let rdKafkaStatsCallback:
    @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
        _, json, length, opaque in
        guard let handler = RDKafkaCallbackContext.of(opaque: opaque)?.statsHandler, let json else { return 0 }
        let text = UnsafeRawBufferPointer(start: json, count: length)
        handler(String(decoding: text, as: UTF8.self))
        return 0
    }
