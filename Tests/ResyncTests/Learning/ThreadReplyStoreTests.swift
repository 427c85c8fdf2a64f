import ChatPlatforms
import Foundation
import ResyncCore
import ServiceLifecycle
import Storage
import TestSupport
import Testing

@Suite("Operators' thread replies kept for learning")
struct ThreadReplyStoreTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    static func reply(_ message: String, text: String = "rerun after freeing the dataset", at offset: Double = 0)
        -> ThreadReply
    {
        ThreadReply(
            conversation: ConversationRef(platform: .slack, channel: "C_OPS", thread: "100.1", message: message),
            author: "U_OPERATOR", text: text, receivedAt: start.addingTimeInterval(offset))
    }

    @Test(arguments: TestEngine.available)
    func keptRepliesAreFoundByTheirMessageIDAndARedeliveryKeepsTheFirst(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLThreadReplyStore(database: database)
            try await store.keep(Self.reply("100.2"))
            try await store.keep(Self.reply("100.2", text: "a redelivery with other text"))
            let found = try await store.reply(platform: .slack, channel: "C_OPS", messageID: "100.2")
            #expect(found == Self.reply("100.2"))
            #expect(try await store.reply(platform: .slack, channel: "C_OTHER", messageID: "100.2") == nil)
            #expect(try await store.reply(platform: .mattermost, channel: "C_OPS", messageID: "100.2") == nil)
            #expect(try await store.reply(platform: .slack, channel: "C_OPS", messageID: "100.3") == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func purgeDeletesOnlyOlderReplies(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLThreadReplyStore(database: database)
            try await store.keep(Self.reply("1.1", at: 0))
            try await store.keep(Self.reply("1.2", at: 100))
            #expect(try await store.purge(receivedBefore: Self.start.addingTimeInterval(50)) == 1)
            #expect(try await store.reply(platform: .slack, channel: "C_OPS", messageID: "1.1") == nil)
            #expect(try await store.reply(platform: .slack, channel: "C_OPS", messageID: "1.2") != nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func aMessageWithoutThreadOrIDIsRefused(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLThreadReplyStore(database: database)
            var topLevel = Self.reply("2.1")
            topLevel.conversation.thread = nil
            await #expect(throws: ThreadReplyStoreError.notAThreadReply) { try await store.keep(topLevel) }
            var noID = Self.reply("2.2")
            noID.conversation.message = nil
            await #expect(throws: ThreadReplyStoreError.notAThreadReply) { try await store.keep(noID) }
        }
    }
}

@Suite("Retention of kept thread replies")
struct ThreadReplyRetentionTests {
    @Test(arguments: TestEngine.available)
    func theServicePurgesRepliesOlderThanTheRetentionAndStopsOnShutdown(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLThreadReplyStore(database: database)
            let time = FakeTimeSource(now: ThreadReplyStoreTests.start.addingTimeInterval(40 * 86_400), realSleep: true)
            try await store.keep(ThreadReplyStoreTests.reply("old.1", at: 0))
            try await store.keep(ThreadReplyStoreTests.reply("new.1", at: 35 * 86_400))
            let service = ThreadReplyRetention(
                replies: store, retention: .seconds(30 * 86_400), interval: .milliseconds(20), time: time,
                logger: TestLogging.quiet("test.retention"))
            let group = ServiceGroup(
                configuration: .init(services: [service], logger: TestLogging.quiet("test.retention-group")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(
                    try await eventually {
                        try await store.reply(platform: .slack, channel: "C_OPS", messageID: "old.1") == nil
                    })
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(try await store.reply(platform: .slack, channel: "C_OPS", messageID: "new.1") != nil)
        }
    }
}
