import AsyncHTTPClient
import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// The Mattermost half of the chat runtime: the platform the routes and the outbox use, and the WebSocket
/// listener that turns reactions into feedback.
public struct MattermostChat: Sendable {
    public let platform: MattermostPlatform
    public let client: MattermostAPIClient
    /// The language of the immediate acknowledgement (`RESYNC_LANGUAGE`); the answer uses the question's own.
    let language: Language
}

enum MattermostWiring {
    enum WiringError: Error, CustomStringConvertible, Sendable {
        case missingBotToken

        var description: String {
            "MATTERMOST_BOT_TOKEN is not set: Resync posts its Mattermost answers as the bot account; create a bot "
                + "(System Console → Integrations → Bot Accounts) and set its token, or unset MATTERMOST_URL"
        }
    }

    static func make(_ config: AppConfig.Mattermost, language: Language, core: ChatCoreParts) throws -> MattermostChat {
        guard let botToken = config.botToken else { throw WiringError.missingBotToken }
        var logger = core.logger
        logger[metadataKey: "platform"] = "mattermost"
        let client = MattermostAPIClient(
            configuration: try MattermostAPIClient.Configuration(baseURL: config.url, botToken: botToken),
            httpClient: core.httpClient, time: core.time, logger: logger)
        let reader = MattermostRequestReader(slashToken: config.slashToken, outgoingToken: config.outgoingToken)
        return MattermostChat(
            platform: MattermostPlatform(reader: reader, client: client), client: client, language: language)
    }

    /// The reaction listener, started once the bot's user id is known (so its own reactions are ignored).
    static func listener(
        _ chat: MattermostChat, config: AppConfig.Mattermost, ingress: ChatIngress, core: ChatCoreParts
    )
        -> MattermostListenerService?
    {
        guard let botToken = config.botToken else { return nil }
        var logger = core.logger
        logger[metadataKey: "platform"] = "mattermost"
        return MattermostListenerService(
            client: chat.client,
            configuration: MattermostEventListener.Configuration(baseURL: config.url, botToken: botToken),
            sink: ChatIngressFeedbackSink(ingress: ingress, platform: chat.platform, logger: logger), time: core.time,
            logger: logger)
    }
}

/// Asks the API for the bot's user id (a bounded number of attempts, with backoff), then runs the WebSocket
/// listener. Without the id the listener still runs; it then cannot tell the bot's own reactions apart.
struct MattermostListenerService: Service {
    let client: MattermostAPIClient
    let configuration: MattermostEventListener.Configuration
    let sink: any MattermostFeedbackSink
    let time: any TimeSource
    let logger: Logger
    var attempts = 5
    var initialBackoff: Duration = .seconds(1)

    func run() async throws {
        var configuration = configuration
        configuration.botUserID = await botUserID()
        guard !Task.isShuttingDownGracefully else { return }
        let listener = MattermostEventListener(configuration: configuration, sink: sink, time: time, logger: logger)
        await listener.run()
    }

    func botUserID() async -> String? {
        var backoff = initialBackoff
        for attempt in 1...attempts {
            do {
                return try await client.me().id
            } catch {
                logger.warning(
                    "Mattermost bot user lookup failed",
                    metadata: ["attempt": "\(attempt)", "error": "\(error)"])
            }
            guard attempt < attempts, !Task.isShuttingDownGracefully else { break }
            let delay = backoff
            do {
                try await cancelWhenGracefulShutdown { try await time.sleep(for: delay) }
            } catch {
                return nil
            }
            backoff *= 2
        }
        logger.error("Mattermost bot user id unknown; the bot's own reactions will not be filtered out")
        return nil
    }
}
