import Testing

/// The process-level suite: every test spawns `catfee-worker run` children against a mock cluster and a simulator
/// owned by the test. One test at a time (the suites nest here so `.serialized` covers them all): on two cores,
/// parallel worker processes would make the timings, and so the kill moments, drift.
@Suite(.serialized) struct ProcessTests {}
