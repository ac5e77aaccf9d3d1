import LodestarStore
import Logging
import ServiceLifecycle

/// Runs the database's WAL checkpoints beside the server (see `WALCheckpoints`) and closes the database when the
/// server shuts down.
///
/// A service group stops its services in the reverse order of the list, each after the one before has returned:
/// the application's own services come before its HTTP server, so this one is asked to stop only once the server has
/// answered every request in flight. On SIGTERM or SIGINT the database is then left checkpointed, without a log.
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
        do {
            try await self.checkpoints.close()
            self.logger.info("database checkpointed and closed")
        } catch {
            self.logger.warning("database not closed cleanly; SQLite replays its log on the next start", metadata: ["error": "\(error)"])
        }
    }
}
