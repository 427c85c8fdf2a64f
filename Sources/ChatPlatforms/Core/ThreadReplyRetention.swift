import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// Deletes kept thread replies once nobody is likely to ✅ them any more (30 days by default), every hour,
/// until graceful shutdown. Learned memories are not touched: they live in the memory store.
public struct ThreadReplyRetention: Service {
    let replies: any ThreadReplyStore
    let retention: Duration
    let interval: Duration
    let time: any TimeSource
    let logger: Logger

    public init(
        replies: any ThreadReplyStore, retention: Duration = .seconds(30 * 86_400),
        interval: Duration = .seconds(3_600),
        time: any TimeSource, logger: Logger
    ) {
        self.replies = replies
        self.retention = retention
        self.interval = interval
        self.time = time
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await purgeOnce()
                do {
                    try await time.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }

    /// One pass; a failure is logged and the next pass tries again.
    func purgeOnce() async {
        let cutoff = time.now().addingTimeInterval(-Double(retention.components.seconds))
        do {
            let purged = try await replies.purge(receivedBefore: cutoff)
            if purged > 0 { logger.info("old thread replies purged", metadata: ["count": "\(purged)"]) }
        } catch {
            logger.warning("cannot purge old thread replies", metadata: ["error": "\(error)"])
        }
    }
}
