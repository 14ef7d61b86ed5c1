internal import CRdKafka

/// `rd_kafka_produceva` (the non-variadic form of `rd_kafka_producev`, which Swift cannot call).
enum RDKafkaProduce {
    /// Enqueues one message with copied key and value; on success librdkafka owns the headers list.
    static func produce(
        handle: RDKafkaHandle, topic: String, partition: Int32, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader], opaque: UnsafeMutableRawPointer
    ) -> rd_kafka_resp_err_t {
        var hdrs: OpaquePointer?
        if !headers.isEmpty {
            hdrs = rd_kafka_headers_new(headers.count)
            for header in headers {
                if let bytes = header.value {
                    bytes.withUnsafeBytes { raw in
                        // A non-NULL pointer with size 0 is an empty value, distinct from a null one.
                        let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
                        _ = rd_kafka_header_add(hdrs, header.key, -1, base, raw.count)
                    }
                } else {
                    _ = rd_kafka_header_add(hdrs, header.key, -1, nil, 0)
                }
            }
        }
        let code = topic.withCString { topicPointer in
            withOptionalBytes(key) { keyPointer, keyCount in
                withOptionalBytes(value) { valuePointer, valueCount in
                    var vus = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7)
                    vus[0].vtype = RD_KAFKA_VTYPE_TOPIC
                    vus[0].u.cstr = topicPointer
                    vus[1].vtype = RD_KAFKA_VTYPE_PARTITION
                    vus[1].u.i32 = partition
                    vus[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    vus[2].u.i = RD_KAFKA_MSG_F_COPY
                    vus[3].vtype = RD_KAFKA_VTYPE_OPAQUE
                    vus[3].u.ptr = opaque
                    vus[4].vtype = RD_KAFKA_VTYPE_KEY
                    vus[4].u.mem.ptr = keyPointer
                    vus[4].u.mem.size = keyCount
                    vus[5].vtype = RD_KAFKA_VTYPE_VALUE
                    vus[5].u.mem.ptr = valuePointer
                    vus[5].u.mem.size = valueCount
                    var count = 6
                    if let hdrs {
                        vus[6].vtype = RD_KAFKA_VTYPE_HEADERS
                        vus[6].u.headers = hdrs
                        count = 7
                    }
                    guard let error = rd_kafka_produceva(handle.pointer, vus, count) else {
                        return RD_KAFKA_RESP_ERR_NO_ERROR
                    }
                    defer { rd_kafka_error_destroy(error) }
                    return rd_kafka_error_code(error)
                }
            }
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            rd_kafka_headers_destroy(hdrs)
        }
        return code
    }

    /// Calls `body` with a mutable pointer to the bytes (nil for nil; a valid pointer for an empty array).
    private static func withOptionalBytes<R>(
        _ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) -> R
    ) -> R {
        guard let bytes else { return body(nil, 0) }
        return bytes.withUnsafeBytes { raw in
            // librdkafka copies (RD_KAFKA_MSG_F_COPY) and never writes through the pointer.
            body(UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)), raw.count)
        }
    }
}
