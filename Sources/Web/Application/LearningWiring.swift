import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle
import Storage

/// Known solutions from chat: the store of operators' thread replies, the learner the chat ingress uses, and
/// the retention service that drops old kept replies.
enum LearningWiring {
    struct Parts {
        let learner: KnownSolutionLearner
        /// Empty on replicas that do not run the question processor (one purger per replica set is plenty).
        let services: [any Service]
    }

    static func make(
        database: AppDatabase, outbox: any ChatOutboxStore, threads: any ChatThreadContextStore,
        memories: any MemoryStore, mattermost: AppConfig.Mattermost?, runRetention: Bool, time: any TimeSource,
        logger: Logger
    ) -> Parts {
        var linkBases: [ChatPlatformKind: String] = [:]
        if let mattermost { linkBases[.mattermost] = mattermost.url }
        let replies = SQLThreadReplyStore(database: database)
        let learner = KnownSolutionLearner(
            replies: replies, outbox: outbox, threads: threads, memories: memories,
            options: KnownSolutionLearner.Options(linkBases: linkBases), time: time, logger: logger)
        let retention = ThreadReplyRetention(replies: replies, time: time, logger: logger)
        return Parts(learner: learner, services: runRetention ? [retention] : [])
    }
}
