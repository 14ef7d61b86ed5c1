/// Kafka protocol request API keys, for injecting errors into ``KafkaMockCluster``.
public enum KafkaAPIKey {
    /// ProduceRequest.
    public static let produce: Int16 = 0
    /// FetchRequest.
    public static let fetch: Int16 = 1
    /// ListOffsetsRequest.
    public static let listOffsets: Int16 = 2
    /// MetadataRequest.
    public static let metadata: Int16 = 3
    /// OffsetCommitRequest.
    public static let offsetCommit: Int16 = 8
    /// OffsetFetchRequest.
    public static let offsetFetch: Int16 = 9
    /// FindCoordinatorRequest.
    public static let findCoordinator: Int16 = 10
    /// JoinGroupRequest.
    public static let joinGroup: Int16 = 11
    /// HeartbeatRequest.
    public static let heartbeat: Int16 = 12
    /// LeaveGroupRequest.
    public static let leaveGroup: Int16 = 13
    /// SyncGroupRequest.
    public static let syncGroup: Int16 = 14
    /// InitProducerIdRequest.
    public static let initProducerId: Int16 = 22
}
