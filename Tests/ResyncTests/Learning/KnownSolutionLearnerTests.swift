import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing

/// The learner on real SQL stores: which threads teach, what the memory holds, and that repeating a
/// confirmation (or several people confirming) stores one memory.
@Suite("Known solutions learned from chat threads")
struct KnownSolutionLearnerTests {
    struct Parts: Sendable {
        let learner: KnownSolutionLearner
        let memories: SQLMemoryStore
        let outbox: SQLChatOutboxStore
        let threads: SQLChatThreadContextStore
        let time: FakeTimeSource
    }

    /// Says every alert thread is about PAYROLL_FINAL's ABEND RC=12, the way the monitor's store would.
    struct FixedAlertSubjects: AlertThreadSubjects {
        func subject(threadHandle: String) async throws -> ThreadSubject? {
            threadHandle == "alert:a1"
                ? ThreadSubject(source: .alert, jobName: "PAYROLL_FINAL", errorSignature: "ABEND RC=12") : nil
        }
    }

    static func withLearner(_ engine: TestEngine, _ body: @Sendable @escaping (Parts) async throws -> Void)
        async throws
    {
        try await TestDatabases.withDatabase(engine) { database in
            let time = FakeTimeSource()
            let logger = TestLogging.quiet("test.learning")
            let memories = SQLMemoryStore(database: database, time: time, logger: logger)
            let outbox = SQLChatOutboxStore(database: database)
            let threads = SQLChatThreadContextStore(database: database)
            let learner = KnownSolutionLearner(
                replies: SQLThreadReplyStore(database: database), outbox: outbox, threads: threads,
                memories: memories, options: .init(linkBases: [.slack: "https://acme.slack.com/"]), time: time,
                logger: logger)
            try await body(
                Parts(learner: learner, memories: memories, outbox: outbox, threads: threads, time: time))
        }
    }

    /// An outbox item Resync sent, whose platform message id is `ts`.
    static func sent(_ outbox: SQLChatOutboxStore, id: String, ts: String, jobName: String?, at: Date) async throws {
        try await outbox.enqueue([
            OutboxItem(
                id: id, platform: .slack, channel: "C_OPS", payload: "{}", jobName: jobName, nextAttemptAt: at,
                createdAt: at)
        ])
        #expect(try await outbox.claim(id: id, now: at))
        try await outbox.markSent(id: id, messageID: ts, at: at)
    }

    static func reply(_ text: String, thread: String?, message: String, user: String = "U_OPERATOR", at: Date)
        -> InboundQuestion
    {
        InboundQuestion(
            dedupeKey: "Ev-\(message)", text: text, user: user,
            conversation: ConversationRef(platform: .slack, channel: "C_OPS", thread: thread, message: message),
            receivedAt: at)
    }

    static func check(_ name: String, on message: String, by user: String, added: Bool = true, at: Date) -> Feedback {
        Feedback(
            conversation: ConversationRef(platform: .slack, channel: "C_OPS", message: message), user: user,
            polarity: .positive, signal: name, added: added, at: at)
    }

    @Test(arguments: TestEngine.available)
    func checkMarkOnAnAnswerThreadReplyMakesOneKnownSolution(engine: TestEngine) async throws {
        try await Self.withLearner(engine) { parts in
            let now = parts.time.now()
            // A mention answered in its thread: the thread's job is remembered, its root is the operator's message.
            try await parts.threads.remember(
                platform: .slack, channel: "C_OPS", thread: "100.1", jobName: "JOB_B", at: now)
            let kept = try await parts.learner.keep(
                Self.reply("freed the dataset, rerun with password=hunter2", thread: "100.1", message: "100.5", at: now)
            )
            #expect(kept)

            let first = try await parts.learner.reacted(Self.check("white_check_mark", on: "100.5", by: "U_A", at: now))
            guard case .learned(let memory) = try #require(first) else {
                Issue.record("expected a new memory, got \(String(describing: first))")
                return
            }
            #expect(memory.kind == .knownSolution)
            #expect(memory.jobName == "JOB_B")
            #expect(memory.errorSignature == nil)
            #expect(memory.status == .active)
            #expect(memory.author == "U_OPERATOR")
            #expect(memory.text.contains("freed the dataset"))
            #expect(!memory.text.contains("hunter2"))
            #expect(memory.conversation?.thread == "100.1" && memory.conversation?.message == "100.5")
            #expect(memory.sourceLink == "https://acme.slack.com/archives/C_OPS/p1005?thread_ts=100.1&cid=C_OPS")

            // The same ✅ again, and a second person's ✔️: still one memory, two people's positive signals.
            _ = try await parts.learner.reacted(Self.check("white_check_mark", on: "100.5", by: "U_A", at: now))
            let second = try await parts.learner.reacted(
                Self.check("heavy_check_mark", on: "100.5", by: "U_B", at: now))
            guard case .alreadyKnown(let same) = try #require(second) else {
                Issue.record("expected the same memory, got \(String(describing: second))")
                return
            }
            #expect(same.id == memory.id)
            let solutions = try await parts.memories.knownSolutions(jobName: "JOB_B", errorSignature: nil, limit: 10)
            #expect(solutions.map(\.id) == [memory.id])
            #expect(solutions.first?.feedback.positive == 2)
            #expect(try await parts.memories.list(MemoryFilter(kind: .knownSolution)).count == 1)

            // Removing a ✅ withdraws that person's signal; the memory stays.
            _ = try await parts.learner.reacted(
                Self.check("white_check_mark", on: "100.5", by: "U_A", added: false, at: now))
            let after = try #require(try await parts.memories.memory(id: memory.id))
            #expect(after.status == .active)
            #expect(after.feedback.positive == 1)

            let audit = try await parts.memories.auditLog(memoryID: memory.id)
            #expect(audit.first?.action == "create")
            #expect(audit.first?.toStatus == .active)
            #expect(audit.first?.actor == "U_OPERATOR")
        }
    }

    @Test(arguments: TestEngine.available)
    func alertThreadReplyIsFiledUnderTheAlertsJobAndFailure(engine: TestEngine) async throws {
        try await Self.withLearner(engine) { parts in
            let now = parts.time.now()
            try await Self.sent(parts.outbox, id: "alert:a1", ts: "200.1", jobName: "PAYROLL_FINAL", at: now)
            let reply = Self.reply("cleared the lock file and reran", thread: "200.1", message: "200.2", at: now)
            // Without the monitor's view an alert thread is about no job.
            #expect(try await !parts.learner.keep(reply))
            parts.learner.attach(alertSubjects: FixedAlertSubjects())
            #expect(try await parts.learner.keep(reply))
            let outcome = try await parts.learner.reacted(
                Self.check("white_check_mark", on: "200.2", by: "U_A", at: now))
            guard case .learned(let memory) = try #require(outcome) else {
                Issue.record("expected a new memory, got \(String(describing: outcome))")
                return
            }
            #expect(memory.jobName == "PAYROLL_FINAL")
            #expect(memory.errorSignature == "ABEND RC=12")
            let ranked = try await parts.memories.knownSolutions(
                jobName: "PAYROLL_FINAL", errorSignature: "ABEND RC=12", limit: 5)
            #expect(ranked.map(\.text) == ["cleared the lock file and reran"])
        }
    }

    @Test(arguments: TestEngine.available)
    func answerRootedThreadUsesTheAnswersJob(engine: TestEngine) async throws {
        try await Self.withLearner(engine) { parts in
            let now = parts.time.now()
            // A slash command's answer starts the thread: the outbox item carries the job.
            try await Self.sent(parts.outbox, id: "answer-1", ts: "300.1", jobName: "GL_POSTING", at: now)
            let conversation = ConversationRef(platform: .slack, channel: "C_OPS", thread: "300.1", message: "300.9")
            #expect(
                try await parts.learner.subject(of: conversation)
                    == ThreadSubject(source: .answer, jobName: "GL_POSTING", errorSignature: nil))
            let outcome = try await parts.learner.learnCommand(
                text: "wait for the ledger close, then release", key: "cmd-1", author: "U_OPERATOR",
                conversation: conversation, at: now)
            guard case .learned(let memory) = outcome else {
                Issue.record("expected a new memory, got \(outcome)")
                return
            }
            #expect(memory.jobName == "GL_POSTING")
            // The same command delivered again stores nothing new.
            let again = try await parts.learner.learnCommand(
                text: "wait for the ledger close, then release", key: "cmd-1", author: "U_OPERATOR",
                conversation: conversation, at: now)
            #expect(again == .alreadyKnown(memory))
            #expect(try await parts.memories.list(MemoryFilter(kind: .knownSolution)).count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func messagesOutsideResyncsThreadsTeachNothing(engine: TestEngine) async throws {
        try await Self.withLearner(engine) { parts in
            let now = parts.time.now()
            try await parts.threads.remember(platform: .slack, channel: "C_OPS", thread: "100.1", jobName: nil, at: now)
            // A reply in someone else's thread, a top-level message, and a reply in a thread about no job.
            #expect(try await !parts.learner.keep(Self.reply("fixed", thread: "999.1", message: "999.2", at: now)))
            #expect(try await !parts.learner.keep(Self.reply("fixed", thread: nil, message: "999.3", at: now)))
            #expect(try await !parts.learner.keep(Self.reply("fixed", thread: "100.1", message: "100.2", at: now)))
            #expect(
                try await parts.learner.reacted(Self.check("white_check_mark", on: "999.2", by: "U_A", at: now)) == nil)
            let elsewhere = ConversationRef(platform: .slack, channel: "C_OPS", thread: "999.1")
            #expect(
                try await parts.learner.learnCommand(
                    text: "rerun", key: "k1", author: "U_A", conversation: elsewhere, at: now) == .noSubject)
            try await parts.threads.remember(
                platform: .slack, channel: "C_OPS", thread: "500.1", jobName: "JOB_B", at: now)
            let inThread = ConversationRef(platform: .slack, channel: "C_OPS", thread: "500.1")
            #expect(
                try await parts.learner.learnCommand(
                    text: "  ", key: "k2", author: "U_A", conversation: inThread, at: now) == .emptyText)
            #expect(try await parts.memories.list(MemoryFilter()).isEmpty)
        }
    }

    @Test func onlyCheckMarksTeachWhateverTheirSkinToneOrSpelling() async throws {
        try await Self.withLearner(.sqlite) { parts in
            for name in [
                "white_check_mark", "heavy_check_mark", ":white_check_mark:", "WHITE_CHECK_MARK",
                "white_check_mark::skin-tone-3", "heavy_check_mark_skin_tone_2", "white_check_mark_tone4",
            ] {
                #expect(parts.learner.isLearnReaction(name), "\(name)")
            }
            for name in ["+1", "thumbsup", "ballot_box_with_check", "heart", "x"] {
                #expect(!parts.learner.isLearnReaction(name), "\(name)")
            }
        }
    }

    @Test func mattermostLinksUseTheServersPermalinkRoute() async throws {
        let time = FakeTimeSource()
        try await TestDatabases.withDatabase(.sqlite) { database in
            let learner = KnownSolutionLearner(
                replies: SQLThreadReplyStore(database: database), outbox: SQLChatOutboxStore(database: database),
                threads: SQLChatThreadContextStore(database: database),
                memories: SQLMemoryStore(database: database, time: time, logger: TestLogging.quiet("t")),
                options: .init(linkBases: [.mattermost: "https://chat.example.com"]), time: time,
                logger: TestLogging.quiet("t"))
            let reply = ConversationRef(platform: .mattermost, channel: "ch1", thread: "root1", message: "post2")
            #expect(learner.link(to: reply) == "https://chat.example.com/_redirect/pl/post2")
            let command = ConversationRef(platform: .mattermost, channel: "ch1", thread: "root1")
            #expect(learner.link(to: command) == "https://chat.example.com/_redirect/pl/root1")
            #expect(learner.link(to: ConversationRef(platform: .slack, channel: "C1", thread: "1.1")) == nil)
        }
    }
}
