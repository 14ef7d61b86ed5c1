internal import CRdKafka

extension KafkaConsumer {
    /// Stores offsets for the next auto-commit or ``commit(_:)`` with nil (`rd_kafka_offsets_store`); thread-safe.
    ///
    /// Each offset is the NEXT offset to consume (last processed + 1).
    /// - Returns: the partitions whose offset could not be stored (typically no longer assigned), with why.
    /// - Throws: ``KafkaError`` only for an error not attributable to single partitions.
    @discardableResult
    public func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) -> [KafkaTopicPartition:
        KafkaError]
    {
        guard handleExists else { throw .closed("consumer") }
        if offsets.isEmpty { return [:] }
        var failed: [KafkaTopicPartition: KafkaError] = [:]
        let code = RDKafkaPartitionList.with(offsets) { list in
            let code = rd_kafka_offsets_store(handle.pointer, list)
            RDKafkaPartitionList.forEach(list) { tp, _, err in
                if err != 0 { failed[tp] = .from(code: err, "store offset for \(tp)") }
            }
            return code
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && failed.isEmpty {
            throw .from(code, "store offsets")
        }
        return failed
    }

    /// Commits synchronously (`rd_kafka_commit(rk, list, 0)`); `nil` commits the stored offsets.
    ///
    /// Works inside ``KafkaConsumerDelegate/consumer(_:willRevoke:lost:)``. Having nothing to commit is success.
    /// - Throws: ``KafkaError`` when the broker refused the commit or it timed out.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]?) throws(KafkaError) {
        guard handleExists else { throw .closed("consumer") }
        let code: rd_kafka_resp_err_t
        if let offsets {
            if offsets.isEmpty { return }
            code = RDKafkaPartitionList.with(offsets) { rd_kafka_commit(handle.pointer, $0, 0) }
        } else {
            code = rd_kafka_commit(handle.pointer, nil, 0)
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw .from(code, "commit")
        }
    }

    /// The group's committed offsets of the partitions (`rd_kafka_committed`);
    /// ``KafkaOffset/invalid`` (-1001) for a partition with no committed offset.
    /// - Throws: ``KafkaError`` on timeout or when the coordinator cannot be reached.
    public func committed(_ partitions: [KafkaTopicPartition], timeoutMs: Int) throws(KafkaError)
        -> [KafkaTopicPartition: Int64]
    {
        guard isOpen else { throw .closed("consumer") }
        return try RDKafkaPartitionList.with(partitions) { list throws(KafkaError) in
            let code = rd_kafka_committed(handle.pointer, list, Int32(clamping: timeoutMs))
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw .from(code, "committed offsets")
            }
            return RDKafkaPartitionList.offsets(list)
        }
    }
}
