import Foundation
import Logging
import ResyncCore
import ServiceLifecycle
import Synchronization

/// The background half of "ack first, work later": claims accepted questions from the durable queue and
/// answers at most `concurrency` at a time (the queue is the back-pressure: nothing is claimed beyond the
/// cap). Each answer is written to the outbox in the same transaction that marks the question done.
/// Questions accepted before a crash (or claimed by a worker that died) are picked up here after restart.
public final class ChatQuestionProcessor: Service, Sendable {
    public struct Options: Sendable {
        public var concurrency: Int
        public var pollInterval: Duration
        /// A claim older than this is considered abandoned by a dead worker and taken over.
        public var claimLease: Duration
        /// How long one answer may take before the question gets an apology instead.
        public var answerTimeout: Duration
        public var maxAttempts: Int
        /// Finished questions are kept this long (for operations), expired dedupe keys are purged.
        public var retention: Duration
        /// While the ingress is busy (`IngressLoad`), the share of the time the processor spends answering, one
        /// question at a time: after an answer that took `t` it rests `t × (1 / share − 1)`, at most `pollInterval`.
        /// The backlog waits in the durable queue and is answered at full concurrency once the storm has passed.
        public var stormShare: Double

        public init(
            concurrency: Int = 4, pollInterval: Duration = .milliseconds(500), claimLease: Duration = .seconds(120),
            answerTimeout: Duration = .seconds(60), maxAttempts: Int = 3, retention: Duration = .seconds(7 * 86_400),
            stormShare: Double = 0.25
        ) {
            self.concurrency = max(1, concurrency)
            self.pollInterval = pollInterval
            self.claimLease = claimLease
            self.answerTimeout = answerTimeout
            self.maxAttempts = maxAttempts
            self.retention = retention
            self.stormShare = min(1, max(0.01, stormShare))
        }
    }

    let platforms: [ChatPlatformKind: any ChatPlatform]
    let inbound: any ChatInboundStore
    let threads: any ChatThreadContextStore
    let answering: any QuestionAnswering
    let gate: AccessGate
    let signal: WorkSignal
    let outboxSignal: WorkSignal
    let load: IngressLoad?
    /// The dashboard's bot activity: one entry per answered question.
    let activity: (any BotActivityRecording)?
    let options: Options
    let time: any TimeSource
    let logger: Logger

    public init(
        platforms: [any ChatPlatform], inbound: any ChatInboundStore, threads: any ChatThreadContextStore,
        answering: any QuestionAnswering, policy: ChatAccessPolicy, signal: WorkSignal, outboxSignal: WorkSignal,
        load: IngressLoad? = nil, activity: (any BotActivityRecording)? = nil, options: Options = Options(),
        time: any TimeSource, logger: Logger
    ) {
        self.platforms = Dictionary(platforms.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.inbound = inbound
        self.threads = threads
        self.answering = answering
        self.gate = AccessGate(policy: policy)
        self.signal = signal
        self.outboxSignal = outboxSignal
        self.load = load
        self.activity = activity
        self.options = options
        self.time = time
        self.logger = logger
    }

    /// Claims and answers until the service is stopped.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            let inFlight = InFlightCounter()
            let rest = RestUntil()
            // While every slot is taken the loop waits for an answer to finish, not for the doorbell: in a storm
            // the doorbell rings on every delivery (thousands a second), and each wake-up costs the acknowledgements
            // CPU. Deliveries rung meanwhile stay on the doorbell for the next wait.
            let slotFreed = WorkSignal()
            var lastPurge = Date.distantPast
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                if time.now().timeIntervalSince(lastPurge) > 600 {
                    await purge()
                    lastPurge = time.now()
                }
                let storm = load?.isBusy() ?? false
                if storm, let until = rest.pending() {
                    // Bounded by the answer that earned it; a ring cannot cut it short, by design.
                    try? await Task.sleep(until: until, clock: .continuous)
                    continue
                }
                let cap = storm ? 1 : options.concurrency
                let free = cap - inFlight.value
                var claims: [InboundClaim] = []
                if free > 0 {
                    do {
                        claims = try await claimNext(limit: free)
                    } catch {
                        logger.error("cannot read the chat inbound queue", metadata: ["error": "\(error)"])
                    }
                }
                for claim in claims {
                    inFlight.add(1)
                    group.addTask {
                        let started = ContinuousClock.now
                        await self.process(claim)
                        let spent = ContinuousClock.now - started
                        // Capped: a slow answer mostly waited on HWA, not the CPU, and a rest delays shutdown.
                        let pause = min(spent * (1 / self.options.stormShare - 1), self.options.pollInterval)
                        rest.extend(to: .now + pause)
                        inFlight.add(-1)
                        slotFreed.ring()
                    }
                }
                let full = inFlight.value >= cap
                if claims.isEmpty || full {
                    do {
                        try await (full ? slotFreed : signal).wait(upTo: options.pollInterval)
                    } catch {
                        break
                    }
                }
            }
        }
    }

    /// Drops dedupe keys past their TTL and finished questions past the retention.
    func purge() async {
        let now = time.now()
        do {
            _ = try await inbound.purge(now: now, finishedBefore: now.adding(.zero - options.retention))
        } catch {
            logger.warning("cannot purge old chat questions", metadata: ["error": "\(error)"])
        }
    }

    func claimNext(limit: Int) async throws -> [InboundClaim] {
        let now = time.now()
        let staleBefore = now.addingTimeInterval(-Double(options.claimLease.components.seconds))
        return try await inbound.claimNext(limit: limit, now: now, staleBefore: staleBefore)
    }

    /// Answers one question and queues the reply; errors are logged, and the item is retried (bounded).
    func process(_ claim: InboundClaim) async {
        let question = claim.item.question
        let conversation = question.conversation
        var logger = logger
        logger[metadataKey: "dedupe_key"] = "\(claim.item.id)"
        logger[metadataKey: "platform"] = "\(conversation.platform.rawValue)"
        guard let platform = platforms[conversation.platform] else {
            logger.error("no adapter for this platform; the question is dropped")
            try? await inbound.fail(claim, error: "no adapter for \(conversation.platform.rawValue)", at: time.now())
            return
        }
        // A question whose worker keeps dying (each claim counts an attempt) is given up, not retried forever.
        guard claim.item.attempts <= options.maxAttempts else {
            logger.error(
                "question abandoned after repeated interrupted attempts",
                metadata: ["attempts": "\(claim.item.attempts)"])
            try? await inbound.fail(claim, error: "interrupted \(claim.item.attempts - 1) times", at: time.now())
            return
        }
        do {
            let replies = try await answerAndRender(claim.item, platform: platform, logger: logger)
            let completed = try await inbound.complete(claim, replies: replies, at: time.now())
            // No replies: a thread reply that was not a question, finished without an answer to count.
            if completed, !replies.isEmpty {
                outboxSignal.ring()
                let seconds = time.now().timeIntervalSince(question.receivedAt)
                ChatMetrics.answerLatency(platform.kind, seconds: seconds)
                await activity?.recordAnswer(platform: platform.kind, latencyMilliseconds: seconds * 1000)
            } else if !completed {
                logger.warning("question was taken over by another worker; this answer is discarded")
            }
        } catch {
            logger.error("answering a chat question failed", metadata: ["error": "\(error)"])
            if claim.item.attempts >= options.maxAttempts {
                try? await inbound.fail(claim, error: "\(error)", at: time.now())
            }
        }
    }

    func answerAndRender(_ item: InboundWorkItem, platform: any ChatPlatform, logger: Logger) async throws
        -> [OutboxItem]
    {
        let question = item.question
        let conversation = await platform.withThreadRoot(question.conversation)
        let replyThread = item.replyInThread ? (conversation.thread ?? conversation.message) : nil
        var threadJob: String?
        if let thread = conversation.thread ?? (item.replyInThread ? conversation.message : nil) {
            threadJob = try await threads.context(
                platform: platform.kind, channel: conversation.channel, thread: thread)?.jobName
        }
        let context = QuestionContext(
            conversation: conversation, user: question.user, threadJobName: threadJob, addressed: item.addressed,
            access: gate.policy.scope(channel: conversation.channel, user: question.user))
        let answering = answering
        let text = question.text
        let answer = try await withDeadline(options.answerTimeout) { await answering.answer(text, context: context) }
        guard item.addressed || answer.parsed.intent.answersUnaddressed else {
            ChatMetrics.inbound(platform.kind, "not_a_question")
            logger.info(
                "thread reply without a mention is not a question; left without a reply",
                metadata: ["intent": "\(answer.parsed.intent.rawValue)"])
            return []
        }
        let gated = gate.apply(answer, channel: conversation.channel, user: question.user)
        if gated.denied {
            ChatMetrics.denied(platform.kind)
            logger.notice(
                "access policy denied a question",
                metadata: ["channel": "\(conversation.channel)", "job": "\(answer.parsed.jobName ?? "-")"])
        }
        let jobName = gated.denied ? nil : primaryJobName(of: gated.answer)
        return ChatOutboxComposer().items(
            platform.render(gated.answer), platform: platform.kind, channel: conversation.channel, thread: replyThread,
            fallbackURL: item.fallbackURL, answerID: gated.answer.id, jobName: jobName, now: time.now())
    }
}

/// Until when the processor rests after its last answer if the ingress is busy; shared with the child tasks.
final class RestUntil: Sendable {
    private let until = Mutex<ContinuousClock.Instant?>(nil)

    /// The end of the rest, or nil when it is over.
    func pending() -> ContinuousClock.Instant? {
        until.withLock { until in
            guard let end = until, end > .now else {
                until = nil
                return nil
            }
            return end
        }
    }

    func extend(to end: ContinuousClock.Instant) {
        until.withLock { $0 = max($0 ?? end, end) }
    }
}

/// The number of answers in progress, shared by the loop and its child tasks.
final class InFlightCounter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func add(_ delta: Int) { count.withLock { $0 += delta } }
}
