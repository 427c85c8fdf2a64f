import Foundation
import ResyncCore

/// Turns rendered messages into outbox items: the first goes where asked; the rest wait for it and
/// continue its thread, in order.
public struct ChatOutboxComposer: Sendable {
    public init() {}

    public func items(
        _ messages: [RenderedChatMessage], platform: ChatPlatformKind, channel: String, thread: String?,
        fallbackURL: String? = nil, answerID: String? = nil, jobName: String? = nil, now: Date
    ) -> [OutboxItem] {
        var items: [OutboxItem] = []
        for message in messages {
            let previous = items.last
            items.append(
                OutboxItem(
                    platform: platform, channel: channel, threadID: thread, dependsOn: previous?.id,
                    threadOnDependency: previous != nil && thread == nil, payload: message.payload,
                    fallbackURL: previous == nil ? fallbackURL : nil, answerID: answerID, jobName: jobName,
                    nextAttemptAt: now, createdAt: now))
        }
        return items
    }
}

/// The job an answer is about, remembered for the thread's follow-ups. A name the plan does not hold (or holds
/// several times) is not one: such an answer must not move the thread away from the job it was about.
func primaryJobName(of answer: Answer) -> String? {
    let missed = answer.notices.contains {
        switch $0 {
        case .unknownJob, .ambiguousJob: true
        default: false
        }
    }
    if missed { return nil }
    return answer.parsed.jobName
        ?? (answer.liveStatus?.jobs.count == 1 ? answer.liveStatus?.jobs.first?.job.name : nil)
}

public enum ChatPosterError: Error, Hashable, Sendable, CustomStringConvertible {
    case platformNotConfigured(ChatPlatformKind)

    public var description: String {
        switch self {
        case .platformNotConfigured(let platform):
            "no \(platform.rawValue) adapter is configured; set its variables (see docs/SLACK.md) or post elsewhere"
        }
    }
}

/// `ChatPoster` over the durable outbox: renders with the platform's adapter and queues.
public struct ChatOutboxPoster: ChatPoster {
    let platforms: [ChatPlatformKind: any ChatPlatform]
    let outbox: any ChatOutboxStore
    let outboxSignal: WorkSignal
    let time: any TimeSource

    public init(
        platforms: [any ChatPlatform], outbox: any ChatOutboxStore, outboxSignal: WorkSignal, time: any TimeSource
    ) {
        self.platforms = Dictionary(platforms.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.outbox = outbox
        self.outboxSignal = outboxSignal
        self.time = time
    }

    public func post(_ message: OutboundChatMessage) async throws -> [String] {
        let conversation = message.conversation
        guard let platform = platforms[conversation.platform] else {
            throw ChatPosterError.platformNotConfigured(conversation.platform)
        }
        let rendered = message.answer.map { platform.render($0) } ?? [platform.render(notice: message.text)]
        let items = ChatOutboxComposer().items(
            rendered, platform: platform.kind, channel: conversation.channel, thread: conversation.thread,
            answerID: message.answer?.id, jobName: message.jobName ?? message.answer.flatMap(primaryJobName),
            now: time.now())
        try await outbox.enqueue(items)
        outboxSignal.ring()
        return items.map(\.id)
    }
}
