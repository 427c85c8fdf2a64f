import Foundation
import ResyncCore

/// `AlertPublishing` over the durable chat outbox. Item ids derive from the monitor's key, so publishing
/// the same key again finds the items already queued and posts nothing. Replies in an alert's thread wait
/// for the alert to be sent and go to the thread it went to (a per-job alert inside a digest's thread keeps
/// its recovery in that same thread, as chat platforms have one level of threads).
public struct OutboxAlertPublisher: AlertPublishing {
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

    public func publish(
        _ message: AlertMessage, to destination: AlertDestination, inThreadOf parent: AlertMessageRef?, key: String
    ) async throws -> AlertMessageRef {
        guard let platform = platforms[destination.platform] else {
            throw ChatPosterError.platformNotConfigured(destination.platform)
        }
        let firstID = Self.itemID(key: key, part: 0)
        let ref = AlertMessageRef(destination: destination, handle: firstID)
        if try await outbox.item(id: firstID) != nil { return ref }
        let items = try await items(
            for: message, platform: platform, destination: destination, parent: parent, key: key)
        do {
            try await outbox.enqueue(items)
        } catch {
            // Another replica (or an earlier attempt whose answer was lost) queued the same key first.
            guard try await outbox.item(id: firstID) != nil else { throw error }
            return ref
        }
        outboxSignal.ring()
        return ref
    }

    /// The outbox id of part `part` of the message published under `key`.
    public static func itemID(key: String, part: Int) -> String { "alert:\(key):\(part)" }

    /// Whether the outbox item `id` was queued by the monitor.
    public static func isAlertItem(id: String) -> Bool { id.hasPrefix("alert:") }

    func items(
        for message: AlertMessage, platform: any ChatPlatform, destination: AlertDestination,
        parent: AlertMessageRef?, key: String
    ) async throws -> [OutboxItem] {
        let rendered: [RenderedChatMessage] =
            if message.kind == .failure, let answer = message.answer {
                platform.render(answer)
            } else {
                [platform.render(notice: message.text)]
            }
        // A parent already sent gives its thread now; otherwise the first part waits for it and the outbox
        // threads it under whatever thread the parent went to.
        let parentItem = try await parent.asyncMap { try await outbox.item(id: $0.handle) }
        let thread = parentItem?.status == .sent ? parentItem?.conversationThread : nil
        var items = ChatOutboxComposer().items(
            rendered, platform: platform.kind, channel: destination.channel, thread: thread,
            answerID: message.answer?.id,
            jobName: message.jobName ?? message.answer.flatMap(primaryJobName), now: time.now())
        for index in items.indices {
            let id = Self.itemID(key: key, part: index)
            if index + 1 < items.count { items[index + 1].dependsOn = id }
            items[index].id = id
        }
        if let parent, !items.isEmpty, thread == nil {
            items[0].dependsOn = parent.handle
            items[0].threadOnDependency = true
        }
        return items
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
