internal import CRdKafka
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Access to `rd_kafka_mock_broker_push_request_error_rtts`, which is variadic and so not callable from Swift.
///
/// It is looked up with dlsym and called through a fixed prototype with exactly one (error, rtt) pair.
/// That is sound on the platforms we run (x86_64 and arm64 Linux): integer variadic arguments are passed
/// like fixed ones there, and the callee reads exactly `cnt` pairs.
enum RDKafkaMockVariadic {
    private typealias PushOne = @convention(c) (OpaquePointer?, Int32, Int16, Int, Int32, Int32) -> Int32

    private static let pushOne: PushOne? = {
        guard let library = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(library, "rd_kafka_mock_broker_push_request_error_rtts")
        else { return nil }
        return unsafeBitCast(symbol, to: PushOne.self)
    }()

    /// Pushes one error with its RTT onto the broker's stack for `apiKey`.
    static func pushBrokerRequestError(
        _ cluster: OpaquePointer, broker: Int32, apiKey: Int16, code: Int32, rttMs: Int32
    ) -> rd_kafka_resp_err_t {
        guard let pushOne else { return RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED }
        return rd_kafka_resp_err_t(rawValue: pushOne(cluster, broker, apiKey, 1, code, rttMs))
    }
}
