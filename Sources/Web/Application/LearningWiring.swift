import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import Storage

/// Known solutions from chat: the store of operators' thread replies and the learner the chat ingress uses.
enum LearningWiring {
    static func learner(
        database: AppDatabase, outbox: any ChatOutboxStore, threads: any ChatThreadContextStore,
        memories: any MemoryStore, mattermost: AppConfig.Mattermost?, time: any TimeSource, logger: Logger
    ) -> KnownSolutionLearner {
        var linkBases: [ChatPlatformKind: String] = [:]
        if let mattermost { linkBases[.mattermost] = mattermost.url }
        return KnownSolutionLearner(
            replies: SQLThreadReplyStore(database: database), outbox: outbox, threads: threads, memories: memories,
            options: KnownSolutionLearner.Options(linkBases: linkBases), time: time, logger: logger)
    }
}
