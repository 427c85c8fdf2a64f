import Foundation
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Chat stores (dedupe, inbound queue, outbox, threads, feedback)")
struct ChatStoreTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func workItem(_ key: String, channel: String = "C1", thread: String? = nil) -> InboundWorkItem {
        InboundWorkItem(
            question: InboundQuestion(
                dedupeKey: key, text: "status PAYROLL_FINAL", user: "U1",
                conversation: ConversationRef(platform: .slack, channel: channel, thread: thread, message: "1.0001"),
                receivedAt: now),
            replyInThread: true, fallbackURL: "https://hooks.example/1")
    }

    static func outboxItem(
        _ id: String, channel: String = "C1", dependsOn: String? = nil, threadOnDependency: Bool = false
    )
        -> OutboxItem
    {
        OutboxItem(
            id: id, platform: .slack, channel: channel, dependsOn: dependsOn, threadOnDependency: threadOnDependency,
            payload: #"{"text":"hi"}"#, answerID: "answer-\(id)", jobName: "PAYROLL_FINAL", nextAttemptAt: now,
            createdAt: now)
    }

    @Test(arguments: TestEngine.available)
    func concurrentDeliveriesOfOneKeyAreAcceptedOnce(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLChatInboundStore(database: database)
            let outcomes: [InboundAcceptance] = try await withThrowingTaskGroup(of: InboundAcceptance.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await store.accept(Self.workItem("slack:Ev1"), dedupeUntil: Self.now + 3600) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .accepted }.count == 1)
            #expect(outcomes.filter { $0 == .duplicate }.count == 7)
            let item = try await store.item(id: "slack:Ev1")
            #expect(item?.question.text == "status PAYROLL_FINAL")
            #expect(item?.fallbackURL == "https://hooks.example/1")
            #expect(item?.status == .pending)
            #expect(item?.addressed == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func whetherAQuestionWasAddressedSurvivesTheQueue(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLChatInboundStore(database: database)
            var reply = Self.workItem("slack:msg:C1:2.0", thread: "1.0")
            reply.addressed = false
            #expect(try await store.accept(reply, dedupeUntil: Self.now + 3600) == .accepted)
            #expect(
                try await store.accept(Self.workItem("slack:msg:C1:3.0"), dedupeUntil: Self.now + 3600) == .accepted)
            let claims = try await store.claimNext(limit: 5, now: Self.now, staleBefore: Self.now - 120)
                .sorted { $0.item.id < $1.item.id }
            #expect(claims.map(\.item.id) == ["slack:msg:C1:2.0", "slack:msg:C1:3.0"])
            #expect(claims.map(\.item.addressed) == [false, true])
        }
    }

    @Test(arguments: TestEngine.available)
    func anItemQueuedClaimedIsLeftAloneUntilItsClaimIsStale(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLChatInboundStore(database: database)
            let claim = try #require(
                try await store.enqueueClaimed(Self.workItem("teams:a1"), token: "req", at: Self.now))
            #expect(try await store.enqueueClaimed(Self.workItem("teams:a1"), token: "again", at: Self.now) == nil)
            #expect(try await store.item(id: "teams:a1")?.status == .processing)
            // A fresh claim is not taken over; a stale one is, and the first claim can then no longer complete.
            #expect(try await store.claimNext(limit: 5, now: Self.now + 10, staleBefore: Self.now - 120).isEmpty)
            let takenOver = try await store.claimNext(limit: 5, now: Self.now + 300, staleBefore: Self.now + 180)
            #expect(takenOver.map(\.item.id) == ["teams:a1"])
            #expect(try await store.complete(claim, replies: [Self.outboxItem("late")], at: Self.now + 301) == false)
            #expect(try await SQLChatOutboxStore(database: database).list(status: nil, limit: 5).isEmpty)
            #expect(try await store.complete(try #require(takenOver.first), replies: [], at: Self.now + 302))
            #expect(try await store.item(id: "teams:a1")?.status == .done)
        }
    }

    @Test(arguments: TestEngine.available)
    func claimsAreExclusiveAndCompletionIsAtomic(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLChatInboundStore(database: database)
            let outbox = SQLChatOutboxStore(database: database)
            _ = try await store.accept(Self.workItem("k1"), dedupeUntil: Self.now + 3600)
            let first = try await store.claimNext(limit: 5, now: Self.now, staleBefore: Self.now - 120)
            let second = try await store.claimNext(limit: 5, now: Self.now, staleBefore: Self.now - 120)
            #expect(first.count == 1)
            #expect(second.isEmpty)
            // A claim whose lease expired is taken over; the old claim can no longer complete.
            let later = Self.now + 600
            let takeover = try await store.claimNext(limit: 5, now: later, staleBefore: later - 120)
            #expect(takeover.count == 1)
            #expect(takeover.first?.item.attempts == 2)
            let stale = try await store.complete(first[0], replies: [Self.outboxItem("o-stale")], at: later)
            #expect(!stale)
            #expect(try await outbox.item(id: "o-stale") == nil)
            let done = try await store.complete(takeover[0], replies: [Self.outboxItem("o1")], at: later)
            #expect(done)
            #expect(try await outbox.item(id: "o1")?.status == .pending)
            #expect(try await store.item(id: "k1")?.status == .done)
            #expect(try await store.claimNext(limit: 5, now: later + 600, staleBefore: later + 480).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func dedupeKeysExpireAndArePurged(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLChatInboundStore(database: database)
            #expect(try await store.markSeen(key: "act:1", platform: .slack, until: Self.now + 10))
            #expect(try await !store.markSeen(key: "act:1", platform: .slack, until: Self.now + 10))
            let purged = try await store.purge(now: Self.now + 11, finishedBefore: Self.now)
            #expect(purged == 1)
            #expect(try await store.markSeen(key: "act:1", platform: .slack, until: Self.now + 10))
        }
    }

    @Test(arguments: TestEngine.available)
    func aFinishedQuestionKeepsItsDedupeKeyUntilItsWindowEnds(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLChatInboundStore(database: database)
            #expect(try await store.accept(Self.workItem("slack:Ev9"), dedupeUntil: Self.now + 100) == .accepted)
            let claims = try await store.claimNext(limit: 1, now: Self.now, staleBefore: Self.now - 120)
            #expect(try await store.complete(try #require(claims.first), replies: [], at: Self.now + 1))
            // Past the retention of finished items but inside the dedupe window: the row, and so the key, stays.
            #expect(try await store.purge(now: Self.now + 50, finishedBefore: Self.now + 50) == 0)
            #expect(try await store.accept(Self.workItem("slack:Ev9"), dedupeUntil: Self.now + 150) == .duplicate)
            // Once both have passed it goes, and the key can be accepted again.
            #expect(try await store.purge(now: Self.now + 101, finishedBefore: Self.now + 50) == 1)
            #expect(try await store.item(id: "slack:Ev9") == nil)
            #expect(try await store.accept(Self.workItem("slack:Ev9"), dedupeUntil: Self.now + 200) == .accepted)
        }
    }

    @Test(arguments: TestEngine.available)
    func outboxClaimsOnceAndThreadsContinuations(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let outbox = SQLChatOutboxStore(database: database)
            try await outbox.enqueue([
                Self.outboxItem("a"), Self.outboxItem("b", dependsOn: "a", threadOnDependency: true),
                Self.outboxItem("c", dependsOn: "b", threadOnDependency: true),
            ])
            // Only the first part is due; its continuations wait for it.
            #expect(try await outbox.due(now: Self.now, limit: 10).map(\.id) == ["a"])
            let claims: [Bool] = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<5 { group.addTask { try await outbox.claim(id: "a", now: Self.now) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(claims.filter { $0 }.count == 1)
            try await outbox.markSent(id: "a", messageID: "111.1", at: Self.now)
            let next = try await outbox.due(now: Self.now, limit: 10)
            #expect(next.map(\.id) == ["b"])
            #expect(next.first?.threadID == "111.1")
            _ = try await outbox.claim(id: "b", now: Self.now)
            try await outbox.markSent(id: "b", messageID: "111.2", at: Self.now)
            // The third part threads under the root, not under the second part.
            #expect(try await outbox.due(now: Self.now, limit: 10).first?.threadID == "111.1")
            let sent = try await outbox.sentItem(platform: .slack, channel: "C1", messageID: "111.2")
            #expect(sent?.id == "b")
            #expect(sent?.answerID == "answer-b")
        }
    }

    @Test(arguments: TestEngine.available)
    func dueGivesEachChannelsOldestItemAndPassesOverPacedChannels(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let outbox = SQLChatOutboxStore(database: database)
            func item(_ id: String, _ platform: ChatPlatformKind, _ channel: String, at offset: Double, due: Double = 0)
                -> OutboxItem
            {
                OutboxItem(
                    id: id, platform: platform, channel: channel, payload: "{}", nextAttemptAt: Self.now + due,
                    createdAt: Self.now + offset)
            }
            try await outbox.enqueue((0..<40).map { item("busy-\($0)", .slack, "C_BUSY", at: Double($0) / 100) })
            try await outbox.enqueue([
                item("calm", .slack, "C_CALM", at: 5), item("later", .slack, "C_LATER", at: 1, due: 60),
                item("mm", .mattermost, "C_BUSY", at: 6),
            ])
            #expect(try await outbox.due(now: Self.now, limit: 8).map(\.id) == ["busy-0", "calm", "mm"])
            let busy = OutboxChannel(platform: .slack, channel: "C_BUSY")
            #expect(try await outbox.due(now: Self.now, limit: 8, skipping: [busy]).map(\.id) == ["calm", "mm"])
            #expect(try await outbox.due(now: Self.now + 60, limit: 2).map(\.id) == ["busy-0", "later"])
            // Once the head is sent, the channel's next item is due.
            #expect(try await outbox.claim(id: "busy-0", now: Self.now))
            try await outbox.markSent(id: "busy-0", messageID: "1.0", at: Self.now)
            #expect(try await outbox.due(now: Self.now, limit: 1).map(\.id) == ["busy-1"])
        }
    }

    @Test(arguments: TestEngine.available)
    func aChannelsSendingSlotIsSharedByEveryWorker(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let outbox = SQLChatOutboxStore(database: database)
            let busy = OutboxChannel(platform: .slack, channel: "C_PACED")
            // Eight workers ask for the same free slot at once: exactly one gets it.
            let outcomes = try await withThrowingTaskGroup(of: ChannelReservation.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await outbox.reserveChannel(busy, now: Self.now, until: Self.now + 1) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .reserved }.count == 1)
            #expect(outcomes.filter { $0 == .busy(until: Self.now + 1) }.count == 7)
            // The same channel on another platform, and another channel, are free.
            let mattermost = OutboxChannel(platform: .mattermost, channel: "C_PACED")
            #expect(try await outbox.reserveChannel(mattermost, now: Self.now, until: Self.now + 1) == .reserved)
            #expect(
                try await outbox.reserveChannel(
                    OutboxChannel(platform: .slack, channel: "C_OTHER"), now: Self.now, until: Self.now + 1)
                    == .reserved)
            #expect(
                try await outbox.reserveChannel(busy, now: Self.now + 0.5, until: Self.now + 1.5)
                    == .busy(until: Self.now + 1))
            #expect(try await outbox.reserveChannel(busy, now: Self.now + 1, until: Self.now + 2) == .reserved)
            // A Retry-After holds the channel for everyone; a shorter one does not shorten it.
            try await outbox.holdChannel(busy, until: Self.now + 30)
            try await outbox.holdChannel(busy, until: Self.now + 10)
            #expect(
                try await outbox.reserveChannel(busy, now: Self.now + 5, until: Self.now + 6)
                    == .busy(until: Self.now + 30))
            #expect(try await outbox.reserveChannel(busy, now: Self.now + 30, until: Self.now + 31) == .reserved)
            // A hold on a channel never paced before creates its slot.
            let fresh = OutboxChannel(platform: .teams, channel: "C_NEW")
            try await outbox.holdChannel(fresh, until: Self.now + 3)
            #expect(
                try await outbox.reserveChannel(fresh, now: Self.now, until: Self.now + 1) == .busy(until: Self.now + 3)
            )
        }
    }

    @Test(arguments: TestEngine.available)
    func rescheduleFailureAndStaleClaims(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let outbox = SQLChatOutboxStore(database: database)
            try await outbox.enqueue([
                Self.outboxItem("x"), Self.outboxItem("y", dependsOn: "x", threadOnDependency: true),
                Self.outboxItem("z", channel: "C2"),
            ])
            #expect(try await outbox.claim(id: "x", now: Self.now))
            try await outbox.reschedule(id: "x", nextAttemptAt: Self.now + 30, error: "rate limited")
            #expect(try await outbox.due(now: Self.now, limit: 10).map(\.id) == ["z"])
            #expect(try await outbox.due(now: Self.now + 30, limit: 10).map(\.id).contains("x"))
            #expect(try await outbox.claim(id: "x", now: Self.now + 30))
            try await outbox.markFailed(id: "x", error: "channel_not_found", at: Self.now + 30)
            _ = try await outbox.due(now: Self.now + 31, limit: 10)
            #expect(try await outbox.item(id: "y")?.status == .failed)
            // A claim left behind by a dead process is given up, not resent.
            #expect(try await outbox.claim(id: "z", now: Self.now))
            #expect(try await outbox.abandonStaleClaims(olderThan: Self.now - 1) == 0)
            #expect(try await outbox.abandonStaleClaims(olderThan: Self.now + 1) == 1)
            let z = try await outbox.item(id: "z")
            #expect(z?.status == .failed)
            #expect(z?.attempts == 1)
            #expect(try await outbox.list(status: .failed, limit: 10).count == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func threadContextKeepsTheLastKnownJob(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let threads = SQLChatThreadContextStore(database: database)
            #expect(try await threads.context(platform: .slack, channel: "C1", thread: "1.1") == nil)
            try await threads.remember(
                platform: .slack, channel: "C1", thread: "1.1", jobName: "PAYROLL_FINAL", at: Self.now)
            try await threads.remember(platform: .slack, channel: "C1", thread: "1.1", jobName: nil, at: Self.now + 5)
            let context = try await threads.context(platform: .slack, channel: "C1", thread: "1.1")
            #expect(context?.jobName == "PAYROLL_FINAL")
            #expect(context?.updatedAt == Self.now + 5)
            try await threads.remember(
                platform: .slack, channel: "C1", thread: "1.1", jobName: "BILLING_RUN", at: Self.now + 9)
            #expect(try await threads.context(platform: .slack, channel: "C1", thread: "1.1")?.jobName == "BILLING_RUN")
            #expect(try await threads.context(platform: .teams, channel: "C1", thread: "1.1") == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func feedbackCountsOncePerUserAndSignal(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLAnswerFeedbackStore(database: database)
            let conversation = ConversationRef(platform: .slack, channel: "C1", thread: "1.1", message: "1.2")
            func record(_ user: String, _ signal: String, _ polarity: Feedback.Polarity, added: Bool, at offset: Double)
                async throws
            {
                try await store.record(
                    AnswerFeedback(
                        feedback: Feedback(
                            conversation: conversation, user: user, polarity: polarity, signal: signal, added: added,
                            at: Self.now + offset),
                        outboxID: "o1", answerID: "a1", jobName: "PAYROLL_FINAL"))
            }
            try await record("U1", "+1", .positive, added: true, at: 0)
            try await record("U1", "+1", .positive, added: true, at: 1)
            try await record("U2", "-1", .negative, added: true, at: 2)
            try await record("U2", "-1", .negative, added: false, at: 3)
            let rows = try await store.feedback(answerID: "a1")
            #expect(rows.count == 2)
            #expect(rows.first { $0.feedback.user == "U1" }?.feedback.added == true)
            #expect(rows.first { $0.feedback.user == "U2" }?.feedback.added == false)
            #expect(rows.allSatisfy { $0.feedback.conversation == conversation && $0.jobName == "PAYROLL_FINAL" })
            #expect(try await store.recent(since: Self.now + 2, limit: 10).map(\.feedback.user) == ["U2"])
        }
    }
}
