internal import CRdKafka

/// An `rd_kafka_t *` that may cross threads.
///
/// `@unchecked Sendable` is safe because librdkafka documents `rd_kafka_t` as thread-safe for
/// the calls this module makes from several threads (poll, pause/resume, offsets_store, commit,
/// metadata, produce); its owner guarantees the pointer outlives every use (destroyed last, in close).
struct RDKafkaHandle: @unchecked Sendable {
    /// The C handle.
    let pointer: OpaquePointer
}
