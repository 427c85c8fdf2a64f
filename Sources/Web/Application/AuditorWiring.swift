import AsyncHTTPClient
import Auditor
import LLM
import Logging
import ResyncCore

/// The memory auditor, with an LLM judge when `AUDITOR_MODEL_NAME` is set.
public enum AuditorWiring {
    /// `judge` comes from `makeJudge` (nil: deterministic signals only).
    public static func makeAuditor(
        memories: any MemoryStore, scheduler: (any SchedulerAPI)?, judge: (any MemoryJudge)?, logger: Logger
    ) -> MemoryAuditor {
        MemoryAuditor(memories: memories, scheduler: scheduler, judge: judge, logger: logger)
    }

    /// Throws when the auditor model name cannot be routed to a provider.
    public static func makeJudge(
        _ llm: AppConfig.LLM, httpClient: HTTPClient = .shared, logger: Logger
    ) throws -> (any MemoryJudge)? {
        guard let model = llm.auditorModel else { return nil }
        let route = try LLMProviderRoute.resolve(
            modelName: model, endpoint: llm.endpoint, apiKey: llm.apiKey, variable: "AUDITOR_MODEL_NAME")
        return LLMMemoryJudge(
            llm: OpenAICompatibleClient(route: route, httpClient: httpClient, logger: logger), model: route.model)
    }

    public static func makeService(auditor: MemoryAuditor, config: AppConfig, logger: Logger) -> AuditorService {
        AuditorService(auditor: auditor, interval: config.auditorInterval, logger: logger)
    }
}
