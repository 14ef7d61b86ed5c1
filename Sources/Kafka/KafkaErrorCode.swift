/// Raw `rd_kafka_resp_err_t` values that callers and tests compare ``KafkaError/code`` against.
public enum KafkaErrorCode {
    /// Success.
    public static let noError: Int32 = 0
    /// Unknown topic or partition (3).
    public static let unknownTopicOrPartition: Int32 = 3
    /// Leader not available (5).
    public static let leaderNotAvailable: Int32 = 5
    /// Not leader for partition (6).
    public static let notLeaderForPartition: Int32 = 6
    /// Request timed out (7).
    public static let requestTimedOut: Int32 = 7
    /// Broker not available (8).
    public static let brokerNotAvailable: Int32 = 8
    /// Network exception (13).
    public static let networkException: Int32 = 13
    /// Coordinator load in progress (14).
    public static let coordinatorLoadInProgress: Int32 = 14
    /// Coordinator not available (15).
    public static let coordinatorNotAvailable: Int32 = 15
    /// Not coordinator (16).
    public static let notCoordinator: Int32 = 16
    /// Not enough replicas (19).
    public static let notEnoughReplicas: Int32 = 19
    /// Not enough replicas after append (20).
    public static let notEnoughReplicasAfterAppend: Int32 = 20
    /// Illegal generation (22).
    public static let illegalGeneration: Int32 = 22
    /// Unknown member id (25).
    public static let unknownMemberId: Int32 = 25
    /// Rebalance in progress (27).
    public static let rebalanceInProgress: Int32 = 27
    /// Topic authorization failed (29).
    public static let topicAuthorizationFailed: Int32 = 29
    /// Group authorization failed (30).
    public static let groupAuthorizationFailed: Int32 = 30
    /// Out of order sequence number (45), idempotent producer.
    public static let outOfOrderSequenceNumber: Int32 = 45
    /// Client-side: all brokers down (-187).
    public static let allBrokersDown: Int32 = -187
    /// Client-side: invalid argument or configuration (-186).
    public static let invalidArgument: Int32 = -186
    /// Client-side: operation timed out (-185).
    public static let timedOut: Int32 = -185
    /// Client-side: producer queue full (-184).
    public static let queueFull: Int32 = -184
    /// Client-side: no offset to commit (-168).
    public static let noOffset: Int32 = -168
    /// Client-side: state does not allow the operation, e.g. storing an offset of an unassigned partition (-172).
    public static let state: Int32 = -172
    /// Client-side: broker transport failure (-195).
    public static let transport: Int32 = -195
    /// Client-side: message timed out in the producer queue (-192).
    public static let messageTimedOut: Int32 = -192
    /// Client-side: partition end reached (-191).
    public static let partitionEOF: Int32 = -191
    /// Client-side: unknown partition (-190).
    public static let unknownPartition: Int32 = -190
    /// Client-side: unknown topic (-188).
    public static let unknownTopic: Int32 = -188
    /// Client-side: instance is being destroyed or closed (-197).
    public static let destroy: Int32 = -197
    /// Client-side: fatal error, the instance is unusable (-150).
    public static let fatal: Int32 = -150
    /// Client-side: message purged from the queue (-152).
    public static let purgeQueue: Int32 = -152
    /// Client-side: message purged while in flight (-151).
    public static let purgeInflight: Int32 = -151

    /// Whether an error with this code is transient: retrying the same operation later can succeed.
    public static func isRetriable(_ code: Int32) -> Bool {
        retriable.contains(code)
    }

    private static let retriable: Set<Int32> = [
        unknownTopicOrPartition, leaderNotAvailable, notLeaderForPartition, requestTimedOut, brokerNotAvailable,
        networkException, coordinatorLoadInProgress, coordinatorNotAvailable, notCoordinator, notEnoughReplicas,
        notEnoughReplicasAfterAppend, rebalanceInProgress, allBrokersDown, timedOut, queueFull, transport,
        messageTimedOut, purgeQueue, purgeInflight,
        -193,  // __RESOLVE
        -180,  // __WAIT_COORD
    ]
}
