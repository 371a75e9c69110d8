import Glibc
import SystemPackage

extension WatchSession {
    /// Bytes read from the inotify descriptor at a time: room for hundreds of records.
    static let readBufferSize = 64 * 1024
    /// How often an owed `.overflow` is retried while the consumer has not made room for it.
    static let overflowRetryMilliseconds: Int32 = 10

    /// The watcher thread's body: polls the inotify descriptor and the stop pipe, turns records
    /// into events, and returns once a stop is requested. It then closes the inotify descriptor
    /// and, last, finishes the stream — so a finished stream means the descriptor is closed.
    ///
    /// The loop also ends if `poll` or `read` fails with anything but `EINTR`/`EAGAIN`, which
    /// the kernel does not do for a valid inotify descriptor; the stream then finishes too.
    mutating func run() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Self.readBufferSize, alignment: MemoryLayout<inotify_event>.alignment)
        defer {
            buffer.deallocate()
            inotify.close()
            sink.finish()
        }
        polling: while !stopSignal.isRequested {
            var descriptors = [
                pollfd(fd: inotify.descriptor.rawValue, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopSignal.readEnd.rawValue, events: Int16(POLLIN), revents: 0),
            ]
            let timeout = sink.overflowPending ? Self.overflowRetryMilliseconds : -1
            if poll(&descriptors, nfds_t(descriptors.count), timeout) < 0 {
                if errno == EINTR { continue }
                return
            }
            sink.deliverPendingOverflow()
            guard descriptors[0].revents != 0, !stopSignal.isRequested else { continue }
            let count: Int
            do {
                count = try inotify.descriptor.read(into: buffer)
            } catch let error as Errno where error == .wouldBlock {
                continue
            } catch {
                return
            }
            for record in InotifyRecord.parse(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
                if stopSignal.isRequested { break polling }
                handle(record)
            }
        }
    }
}
