import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// Sends the durable outbox: claims each item atomically (so no replica sends it twice), paces each channel
/// (Slack ≈ 1 message/s), waits out `Retry-After`, retries transient failures a bounded number of times,
/// and records the platform's message id for threading and for matching reactions.
public final class ChatOutboxWorker: Service, Sendable {
    public struct Options: Sendable {
        /// Sends in flight at once (each to a different channel).
        public var concurrency: Int
        public var pollInterval: Duration
        /// Attempts per item, rate-limit waits included.
        public var maxAttempts: Int
        /// Backoff after the first transient failure; doubles per attempt, capped at `maxBackoff`.
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        /// An item left `sending` longer than this belonged to a process that died mid-send.
        public var staleClaimAfter: Duration
        /// The least time between two rounds while everything due waits for its channel's pacing.
        public var pacedRoundSpacing: Duration

        public init(
            concurrency: Int = 4, pollInterval: Duration = .milliseconds(500), maxAttempts: Int = 6,
            initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(60),
            staleClaimAfter: Duration = .seconds(120), pacedRoundSpacing: Duration = .milliseconds(50)
        ) {
            self.pacedRoundSpacing = pacedRoundSpacing
            self.concurrency = max(1, concurrency)
            self.pollInterval = pollInterval
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.staleClaimAfter = staleClaimAfter
        }
    }

    let platforms: [ChatPlatformKind: any ChatPlatform]
    let outbox: any ChatOutboxStore
    let threads: any ChatThreadContextStore
    let signal: WorkSignal
    let options: Options
    let time: any TimeSource
    let logger: Logger

    public init(
        platforms: [any ChatPlatform], outbox: any ChatOutboxStore, threads: any ChatThreadContextStore,
        signal: WorkSignal, options: Options = Options(), time: any TimeSource, logger: Logger
    ) {
        self.platforms = Dictionary(platforms.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.outbox = outbox
        self.threads = threads
        self.signal = signal
        self.options = options
        self.time = time
        self.logger = logger
    }

    public func run() async throws {
        var pacer = ChannelPacer()
        var lastStaleSweep = Date.distantPast
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = time.now()
            if now.timeIntervalSince(lastStaleSweep) > 60 {
                await abandonStaleClaims(now: now)
                lastStaleSweep = now
            }
            var round = Round.idle
            do {
                round = try await sendRound(pacer: &pacer)
            } catch {
                logger.error("cannot read the chat outbox", metadata: ["error": "\(error)"])
            }
            guard round != .sent else { continue }
            do {
                try await signal.wait(upTo: waitLimit(pacer))
                // Answers queued for a paced channel ring many times a second; reading the queue again for
                // each ring would send nothing sooner, so rings are coalesced.
                if round == .paced { try await Task.sleep(for: options.pacedRoundSpacing) }
            } catch {
                return
            }
        }
    }

    /// The poll interval, or less when a paced channel's next slot comes sooner.
    func waitLimit(_ pacer: ChannelPacer) -> Duration {
        let now = time.now()
        guard let slot = pacer.nextSlot(after: now) else { return options.pollInterval }
        return min(options.pollInterval, .milliseconds(Int64(slot.timeIntervalSince(now) * 1000) + 1))
    }

    func abandonStaleClaims(now: Date) async {
        let cutoff = now.addingTimeInterval(-Double(options.staleClaimAfter.components.seconds))
        do {
            let abandoned = try await outbox.abandonStaleClaims(olderThan: cutoff)
            if abandoned > 0 {
                logger.warning(
                    "outbox items were interrupted mid-send by a previous process and are not resent",
                    metadata: ["count": "\(abandoned)"])
            }
        } catch {
            logger.error("cannot sweep stale outbox claims", metadata: ["error": "\(error)"])
        }
    }

    /// What a round did: tried to send, found only items waiting for their channel's pacing, or found nothing.
    enum Round {
        case sent, paced, idle
    }

    /// Sends at most one due item per channel whose pacing allows it.
    func sendRound(pacer: inout ChannelPacer) async throws -> Round {
        let now = time.now()
        let paced = pacer.busyChannels(now: now)
        let due = try await outbox.due(now: now, limit: options.concurrency * 2, skipping: paced)
        var batch: [(OutboxItem, any ChatPlatform)] = []
        for item in due where batch.count < options.concurrency {
            guard let platform = platforms[item.platform], pacer.isFree(item.outboxChannel, now: now) else { continue }
            // The slot is shared with every replica; the local pacer only spares asking again too soon.
            let slotEnd = now.adding(platform.channelPacing)
            if case .busy(let until) = try await outbox.reserveChannel(item.outboxChannel, now: now, until: slotEnd) {
                pacer.block(item.outboxChannel, until: until)
                continue
            }
            pacer.block(item.outboxChannel, until: slotEnd)
            guard try await outbox.claim(id: item.id, now: now) else { continue }
            var claimed = item
            claimed.attempts += 1
            // A continuation queued just as its dependency was being sent missed the thread hand-over.
            if claimed.threadOnDependency, claimed.threadID == nil, let dependency = claimed.dependsOn {
                claimed.threadID = try await outbox.item(id: dependency)?.conversationThread
            }
            batch.append((claimed, platform))
        }
        guard !batch.isEmpty else { return due.isEmpty && paced.isEmpty ? .idle : .paced }
        let results = await withTaskGroup(of: (OutboxItem, DeliveryOutcome).self) { group in
            for (item, platform) in batch {
                group.addTask { (item, await platform.deliver(item)) }
            }
            var results: [(OutboxItem, DeliveryOutcome)] = []
            for await result in group { results.append(result) }
            return results
        }
        for (item, outcome) in results {
            try await record(outcome, for: item, pacer: &pacer)
        }
        return .sent
    }

    func record(_ outcome: DeliveryOutcome, for item: OutboxItem, pacer: inout ChannelPacer) async throws {
        var logger = logger
        logger[metadataKey: "outbox_id"] = "\(item.id)"
        logger[metadataKey: "platform"] = "\(item.platform.rawValue)"
        let now = time.now()
        switch outcome {
        case .sent(let messageID):
            // The thread's memory is written first, so a follow-up that sees the message sent also sees it.
            if let thread = item.threadID ?? messageID {
                do {
                    try await threads.remember(
                        platform: item.platform, channel: item.channel, thread: thread, jobName: item.jobName, at: now)
                } catch {
                    logger.error("cannot remember the thread's job", metadata: ["error": "\(error)"])
                }
            }
            try await outbox.markSent(id: item.id, messageID: messageID, at: now)
            ChatMetrics.delivery(item.platform, "sent")
        case .rateLimited(let retryAfter):
            ChatMetrics.delivery(item.platform, "rate_limited")
            pacer.block(item.outboxChannel, until: now.adding(retryAfter))
            do {
                try await outbox.holdChannel(item.outboxChannel, until: now.adding(retryAfter))
            } catch {
                // The item must still be rescheduled below; other replicas then learn the limit from their own 429.
                logger.error("cannot share the channel's Retry-After", metadata: ["error": "\(error)"])
            }
            try await retryOrFail(item, at: now.adding(retryAfter), reason: "rate limited", logger: logger)
        case .retryable(let reason):
            ChatMetrics.delivery(item.platform, "retryable")
            try await retryOrFail(
                item, at: now.adding(backoff(afterAttempt: item.attempts)), reason: reason, logger: logger)
        case .permanent(let reason):
            ChatMetrics.delivery(item.platform, "failed")
            logger.error(
                "chat platform refused the message; not retrying",
                metadata: ["reason": "\(reason)", "channel": "\(item.channel)"])
            try await outbox.markFailed(id: item.id, error: reason, at: now)
        }
    }

    func retryOrFail(_ item: OutboxItem, at next: Date, reason: String, logger: Logger) async throws {
        if item.attempts >= options.maxAttempts {
            ChatMetrics.delivery(item.platform, "gave_up")
            logger.error(
                "giving up on a chat message after bounded retries",
                metadata: ["attempts": "\(item.attempts)", "reason": "\(reason)"])
            try await outbox.markFailed(
                id: item.id, error: "gave up after \(item.attempts) attempts: \(reason)", at: time.now())
        } else {
            logger.warning(
                "chat send will be retried", metadata: ["reason": "\(reason)", "attempt": "\(item.attempts)"])
            try await outbox.reschedule(id: item.id, nextAttemptAt: next, error: reason)
        }
    }

    func backoff(afterAttempt attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 16)
        return min(options.initialBackoff * factor, options.maxBackoff)
    }
}

/// When each channel may next receive a message (per-channel pacing and `Retry-After`).
struct ChannelPacer {
    private var nextFree: [OutboxChannel: Date] = [:]

    func isFree(_ channel: OutboxChannel, now: Date) -> Bool {
        (nextFree[channel] ?? .distantPast) <= now
    }

    /// Channels that may not send yet (forgetting those whose slot has passed).
    mutating func busyChannels(now: Date) -> Set<OutboxChannel> {
        nextFree = nextFree.filter { $0.value > now }
        return Set(nextFree.keys)
    }

    /// The earliest moment a busy channel may send again.
    func nextSlot(after now: Date) -> Date? {
        nextFree.values.filter { $0 > now }.min()
    }

    mutating func block(_ channel: OutboxChannel, until: Date) {
        nextFree[channel] = max(nextFree[channel] ?? .distantPast, until)
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.inSeconds)
    }
}
