import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends a measuring child whose batch is gone.
///
/// `convoy batch` measures each image in a child process (`MeasureWorker`). If the batch itself is
/// killed outright (SIGKILL, the out-of-memory killer), nothing tells its children: each would go
/// on decoding and measuring its image, for as long as `--timeout` allows or longer, with nobody to
/// read the result. The worker therefore passes its process ID in `environmentKey`; a child that
/// finds it set checks now and every half second that its parent is still that process, and
/// exits with status 1 (and a line on stderr) as soon as it is not.
public enum OrphanWatch {
    /// Environment variable holding the batch's process ID, set by `MeasureWorker` for its children.
    public static let environmentKey = "CONVOY_BATCH_PARENT_PID"

    /// Starts the watch when this process was started by a batch; does nothing otherwise. An
    /// unparsable value is ignored (the process was not started by `MeasureWorker`).
    public static func startIfBatchChild(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let value = environment[environmentKey], let parent = pid_t(value), parent > 1 else { return }
        exitIfOrphaned(parent: parent)
        Thread {
            while true {
                usleep(500_000)
                exitIfOrphaned(parent: parent)
            }
        }.start()
    }

    static func exitIfOrphaned(parent: pid_t) {
        guard getppid() != parent else { return }
        FileHandle.standardError.write(Data("convoy: the batch process (\(parent)) that started this measurement is gone; stopping\n".utf8))
        _exit(1)
    }
}
