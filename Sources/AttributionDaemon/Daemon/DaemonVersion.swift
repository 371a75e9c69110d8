/// The daemon's version, reported by `status` and `--version`.
public let daemonVersion = "0.4.0"
