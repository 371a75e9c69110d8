import Glibc

/// The `IN_*` bits of an inotify watch or event, as a typed option set.
struct InotifyMask: OptionSet, Sendable {
    let rawValue: UInt32

    /// A file opened for writing was closed.
    static let closeWrite = InotifyMask(rawValue: UInt32(IN_CLOSE_WRITE))
    /// An entry was renamed out of the watched directory.
    static let movedFrom = InotifyMask(rawValue: UInt32(IN_MOVED_FROM))
    /// An entry was renamed into the watched directory.
    static let movedTo = InotifyMask(rawValue: UInt32(IN_MOVED_TO))
    /// An entry was created in the watched directory.
    static let create = InotifyMask(rawValue: UInt32(IN_CREATE))
    /// An entry was deleted from the watched directory.
    static let delete = InotifyMask(rawValue: UInt32(IN_DELETE))
    /// The watched directory itself was deleted.
    static let deleteSelf = InotifyMask(rawValue: UInt32(IN_DELETE_SELF))
    /// The watched directory itself was renamed.
    static let moveSelf = InotifyMask(rawValue: UInt32(IN_MOVE_SELF))
    /// The filesystem holding the watched directory was unmounted.
    static let unmount = InotifyMask(rawValue: UInt32(IN_UNMOUNT))
    /// The kernel's event queue overflowed and events were lost.
    static let queueOverflow = InotifyMask(rawValue: UInt32(IN_Q_OVERFLOW))
    /// The watch was removed (explicitly, or because its directory went away).
    static let ignored = InotifyMask(rawValue: UInt32(IN_IGNORED))
    /// The entry the event names is a directory.
    static let isDirectory = InotifyMask(rawValue: UInt32(IN_ISDIR))
    /// Watch only if the path is a directory (`ENOTDIR` otherwise).
    static let onlyDirectory = InotifyMask(rawValue: UInt32(IN_ONLYDIR))
    /// Do not follow a symbolic link at the watched path.
    static let dontFollow = InotifyMask(rawValue: UInt32(IN_DONT_FOLLOW))
    /// No events for entries after they were unlinked (files still open elsewhere).
    static let excludeUnlinked = InotifyMask(rawValue: UInt32(IN_EXCL_UNLINK))

    /// What every directory of the tree is watched for.
    static let watchedDirectory: InotifyMask = [
        .closeWrite, .movedFrom, .movedTo, .create, .delete, .deleteSelf, .moveSelf,
        .onlyDirectory, .dontFollow, .excludeUnlinked,
    ]
}
