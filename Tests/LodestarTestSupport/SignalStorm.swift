#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Sends SIGALRM over and over, to the whole process and to chosen threads, so that blocking reads and polls are
/// interrupted (EINTR) as they are when a child exits mid-read. SIGALRM's handler is set to do nothing, without
/// SA_RESTART, so a signal interrupts the system call it lands in instead of ending the process.
public final class SignalStorm: @unchecked Sendable {
    private let lock = NSLock()
    private var targets: [pthread_t] = []
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)
    private var sent = 0

    /// How many signals were sent so far.
    public var signalsSent: Int { self.lock.withLock { self.sent } }

    /// Starts sending a signal every `interval` seconds until `stop()`.
    public init(every interval: TimeInterval = 0.000_5) {
        Self.installHandler()
        let thread = Thread { [self] in
            while self.sendOnce() { Thread.sleep(forTimeInterval: interval) }
            self.finished.signal()
        }
        thread.start()
    }

    /// One signal to the process and one to each targeted thread; false once stopped. The lock is held while sending
    /// so that a thread that has left `whileTargeted` is never signalled (it may have ended).
    private func sendOnce() -> Bool {
        self.lock.withLock {
            guard !self.stopped else { return false }
            kill(getpid(), SIGALRM)
            for thread in self.targets { pthread_kill(thread, SIGALRM) }
            self.sent += 1 + self.targets.count
            return true
        }
    }

    /// Runs `body` with the calling thread signalled directly as well: a signal sent to the process lands on whichever
    /// thread the kernel picks, usually the main one, not the one reading.
    /// Swift concurrency's and Dispatch's worker threads block every signal, so SIGALRM is unblocked here for the
    /// length of `body` (a blocked signal would stay pending and interrupt nothing).
    public func whileTargeted<T>(_ body: () throws -> T) rethrows -> T {
        var alarm = sigset_t()
        sigemptyset(&alarm)
        sigaddset(&alarm, SIGALRM)
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &alarm, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let me = pthread_self()
        self.lock.withLock { self.targets.append(me) }
        defer { self.lock.withLock { self.targets.removeAll { pthread_equal($0, me) != 0 } } }
        return try body()
    }

    /// Stops sending, and returns once the last signal has been sent.
    public func stop() {
        self.lock.withLock { self.stopped = true }
        self.finished.wait()
    }

    /// A no-op SIGALRM handler for the whole test process, left in place: a signal still in flight after a test ends
    /// must find a handler, not the default action (which ends the process).
    private static let handlerInstalled: Bool = {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in }
        #else
        action.__sigaction_u.__sa_handler = { _ in }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        return sigaction(SIGALRM, &action, nil) == 0
    }()

    private static func installHandler() {
        precondition(Self.handlerInstalled, "could not set SIGALRM's handler")
    }
}
