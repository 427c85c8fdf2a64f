import Agent
import AsyncHTTPClient
import Foundation
import Hummingbird
import LLM
import Logging
import NIOHTTP1
import ResyncCore

/// Builds the agent from the ports and the configuration. The composition root calls `makeAgent` once the
/// scheduler, knowledge and memory adapters exist, then `router.addAgentRoutes(...)`.
public enum AgentWiring {
    /// The agent's configuration from `AppConfig` (reply language, model) and the display time zone.
    public static func configuration(_ config: AppConfig, timeZone: TimeZone? = nil) -> AgentConfiguration {
        AgentConfiguration(
            timeZone: timeZone ?? config.timeZone, defaultLanguage: config.language, model: config.llm.agentModel)
    }

    /// The LLM client for `AGENT_MODEL_NAME`, or nil in deterministic mode. Throws when the model name
    /// cannot be routed (for example a bare model name without `LLM_ENDPOINT`).
    public static func makeLLMClient(
        _ llm: AppConfig.LLM, httpClient: HTTPClient = .shared, logger: Logger
    ) throws -> (any LLMClient)? {
        guard let model = llm.agentModel else { return nil }
        let route = try LLMProviderRoute.resolve(
            modelName: model, endpoint: llm.endpoint, apiKey: llm.apiKey, variable: "AGENT_MODEL_NAME")
        logger.info(
            "LLM mode",
            metadata: [
                "provider": "\(route.provider.rawValue)", "model": "\(route.model)",
                "baseURL": "\(Redactor.redactURL(route.baseURL))",
            ])
        return OpenAICompatibleClient(route: route, httpClient: httpClient, logger: logger)
    }

    /// The agent over the given read-only ports; `llm` comes from `makeLLMClient` (nil: deterministic mode).
    public static func makeAgent(
        scheduler: any SchedulerAPI, knowledge: any KnowledgeStore, memories: any MemoryStore,
        llm: (any LLMClient)?, config: AppConfig, timeZone: TimeZone? = nil, logger: Logger
    ) -> Agent {
        Agent(
            scheduler: scheduler, knowledge: knowledge, memories: memories, llm: llm,
            configuration: configuration(config, timeZone: timeZone), logger: logger)
    }
}

/// `resync ask --server URL`: asks a running Resync over `POST /api/ask`.
public enum RemoteAsk {
    public enum Failure: Error, CustomStringConvertible {
        case server(status: Int, message: String)
        case unreadable
        /// 401: no token was sent, or the one sent is not the server's.
        case notLoggedIn(tokenSent: Bool)

        public var description: String {
            switch self {
            case .server(let status, let message): "the Resync server answered \(status): \(message)"
            case .unreadable: "the Resync server sent something that is not an answer"
            case .notLoggedIn(tokenSent: false):
                "the Resync server needs a login: set RESYNC_API_TOKEN (environment or .env) to the server's API token"
            case .notLoggedIn(tokenSent: true):
                "the Resync server refused the token: RESYNC_API_TOKEN here must be the same as the server's"
            }
        }
    }

    public static func ask(
        server: String, question: String, language: Language?, apiToken: Secret? = nil,
        timeout: Duration = .seconds(30), httpClient: HTTPClient = .shared
    ) async throws -> Answer {
        var request = HTTPClientRequest(
            url: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/api/ask")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        // `/api/ask` needs a login; the admin API token is how a terminal logs in.
        if let apiToken { request.headers.add(name: "Authorization", value: "Bearer \(apiToken.value)") }
        let body = AskBody(question: question, language: language?.rawValue)
        request.body = .bytes(Array(try JSONEncoder().encode(body)))
        let response = try await httpClient.execute(request, timeout: .seconds(timeout.components.seconds))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let data = Data(bytes.readableBytesView)
        if response.status == .unauthorized { throw Failure.notLoggedIn(tokenSent: apiToken != nil) }
        guard response.status == .ok else {
            let message = (try? JSONDecoder().decode(ServerError.self, from: data))?.error?.message
            throw Failure.server(status: Int(response.status.code), message: message ?? "\(response.status)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let answer = try? decoder.decode(Answer.self, from: data) else { throw Failure.unreadable }
        return answer
    }

    /// `{"error": {"message": "…"}}`, from Resync's error middleware or Hummingbird's own.
    struct ServerError: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }

    struct AskBody: Encodable {
        var question: String
        var language: String?
    }
}
