import LodestarStore
import Logging
import ServiceLifecycle

/// Runs the database's WAL checkpoints beside the server (see `WALCheckpoints`), until the server shuts down.
struct CheckpointService: Service {
    let checkpoints: WALCheckpoints
    let logger: Logger
    /// Often enough that the log stays a few megabytes at thousands of answers a second.
    var interval: Duration = .milliseconds(250)

    func run() async {
        await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    return
                }
                do {
                    try await self.checkpoints.checkpoint()
                } catch {
                    self.logger.warning("WAL checkpoint failed; will retry", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
