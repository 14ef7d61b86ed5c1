internal import CRdKafka
import Locking

/// librdkafka's rebalance callback: applies the (incremental) assignment and tells the delegate.
///
/// Runs on the thread serving the consumer queue: the poll thread, or the caller of `close()`.
let rdKafkaRebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { rk, err, partitions, opaque in
        guard let rk else { return }
        let state = RDKafkaCallbackContext.of(opaque: opaque)?.consumerState.withLock { state in
            if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS { state.assignedOnce = true }
            return (state.consumer, state.delegate)
        }
        let consumer = state?.0
        let delegate = state?.1
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let list = RDKafkaPartitionList.partitions(partitions)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let result: KafkaError?
            if cooperative {
                result = rd_kafka_incremental_assign(rk, partitions).map(RDKafkaRebalance.takeError)
            } else {
                let code = rd_kafka_assign(rk, partitions)
                result = code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : .from(code, "assign")
            }
            // An application pause survives revoke + re-assign in librdkafka; a new owner must fetch.
            _ = rd_kafka_resume_partitions(rk, partitions)
            if let result, let consumer {
                delegate?.consumer(consumer, didFail: result)
            }
            if let consumer, !list.isEmpty {
                delegate?.consumer(consumer, didAssign: list)
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            if let consumer, !list.isEmpty {
                delegate?.consumer(consumer, willRevoke: list, lost: rd_kafka_assignment_lost(rk) != 0)
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) {
                    rd_kafka_error_destroy(error)
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        default:
            _ = rd_kafka_assign(rk, nil)
            if let consumer {
                delegate?.consumer(consumer, didFail: .from(err, "rebalance"))
            }
        }
    }

/// Helpers of the rebalance callback.
enum RDKafkaRebalance {
    /// Converts and destroys an `rd_kafka_error_t`.
    static func takeError(_ error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        return KafkaError(
            code: rd_kafka_error_code(error).rawValue,
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0)
    }
}
