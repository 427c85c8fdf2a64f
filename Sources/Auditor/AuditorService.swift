import Logging
import ResyncCore
import ServiceLifecycle

/// Runs the auditor periodically until graceful shutdown.
public struct AuditorService: Service {
    let auditor: MemoryAuditor
    let interval: Duration
    let clock: any TimeSource
    let logger: Logger

    public init(auditor: MemoryAuditor, interval: Duration, clock: any TimeSource = SystemTimeSource(), logger: Logger)
    {
        self.auditor = auditor
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    _ = try await auditor.run()
                } catch {
                    logger.error("audit run failed; next run at the next interval", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
