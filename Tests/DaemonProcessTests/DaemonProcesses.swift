import Testing

/// Every test of this target runs the built `attributiond` (and `attributionctl`) as real
/// processes. They run one at a time: each starts its own daemon, and timing checks (idle
/// timeouts, shutdown within seconds, memory after a flood) mean little on two cores shared
/// with a second daemon indexing.
@Suite(.serialized) enum DaemonProcesses {}
