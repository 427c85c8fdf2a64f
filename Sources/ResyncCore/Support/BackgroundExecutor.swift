import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A task executor of its own threads running at a lower CPU priority (a higher `nice`), for background work
/// that must not slow the request path when both want the CPU: the question processor runs its answers here,
/// so that under a webhook storm the acknowledgements (which have a deadline) win the cores, and the answers
/// (which have none) use what is left, and all of it when the storm ends.
///
/// Jobs run in arrival order; the threads live until `shutdown()`, which lets them finish the jobs already
/// queued. Use it with `withTaskExecutorPreference(_:operation:)`: child tasks inherit the preference.
public final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var running = 0
    private let condition = NSCondition()

    /// Starts `threads` threads named `name-N` (Linux keeps 15 bytes of a thread name) at `niceness`: 0 is
    /// normal, 19 the lowest. Linux applies it per thread; elsewhere the threads run at normal priority.
    public init(name: String, threads: Int, niceness: Int32) {
        let count = max(1, threads)
        running = count
        for index in 0..<count {
            let thread = Thread { [self] in
                // Named from inside: on Linux a name set before `start()` never reaches the kernel (`top -H`).
                Thread.current.name = "\(name)-\(index)"
                Self.lowerPriority(to: niceness)
                runJobs()
            }
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish the queued jobs, then end; waits until they have.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func runJobs() {
        while let job = nextJob() {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func nextJob() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !stopping { condition.wait() }
        guard head < jobs.count else {
            running -= 1
            condition.broadcast()
            return nil
        }
        let job = jobs[head]
        head += 1
        // Compacts once the consumed prefix dominates, so the array does not grow for ever.
        if head > 1024 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    private static func lowerPriority(to niceness: Int32) {
        #if os(Linux)
            // Linux keeps the nice value per thread: `who` 0 is the calling thread, not the whole process.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
