#if canImport(Glibc)
import Glibc
#endif

/// Prints a progress line and flushes it at once, so progress shows up line by line even when
/// standard output is a file or a pipe (where the C library would otherwise buffer it).
func printProgress(_ line: String) {
    print(line)
    fflush(nil)
}
