import LLM
import ResyncCore
import Testing

@Suite("LLM provider routing")
struct ProviderRoutingTests {
    struct Case: Sendable, CustomStringConvertible {
        var model: String
        var endpoint: String?
        var provider: LLMProviderRoute.Provider
        var url: String
        var sentModel: String

        var description: String { "\(model) @ \(endpoint ?? "-")" }
    }

    static let cases: [Case] = [
        Case(
            model: "openrouter/anthropic/claude-3.5-sonnet", endpoint: nil, provider: .openRouter,
            url: "https://openrouter.ai/api/v1/chat/completions", sentModel: "anthropic/claude-3.5-sonnet"),
        Case(
            model: "openrouter/meta-llama/llama-3.1-8b-instruct", endpoint: "http://ignored:1/v1",
            provider: .openRouter,
            url: "https://openrouter.ai/api/v1/chat/completions", sentModel: "meta-llama/llama-3.1-8b-instruct"),
        Case(
            model: "ollama/llama3.1", endpoint: nil, provider: .ollama,
            url: "http://localhost:11434/v1/chat/completions", sentModel: "llama3.1"),
        Case(
            model: "ollama/qwen2.5:7b", endpoint: "http://gpu-box:11434", provider: .ollama,
            url: "http://gpu-box:11434/v1/chat/completions", sentModel: "qwen2.5:7b"),
        Case(
            model: "nvidia_nim/meta/llama-3.1-70b-instruct", endpoint: nil, provider: .nvidiaNIM,
            url: "https://integrate.api.nvidia.com/v1/chat/completions", sentModel: "meta/llama-3.1-70b-instruct"),
        Case(
            model: "nvidia_nim/meta/llama-3.1-8b-instruct", endpoint: "http://nim.local:8000/v1/", provider: .nvidiaNIM,
            url: "http://nim.local:8000/v1/chat/completions", sentModel: "meta/llama-3.1-8b-instruct"),
        Case(
            model: "gpt-4o-mini", endpoint: nil, provider: .openAI,
            url: "https://api.openai.com/v1/chat/completions", sentModel: "gpt-4o-mini"),
        Case(
            model: "o3-mini", endpoint: nil, provider: .openAI,
            url: "https://api.openai.com/v1/chat/completions", sentModel: "o3-mini"),
        Case(
            model: "openai/gpt-4.1", endpoint: nil, provider: .openAI,
            url: "https://api.openai.com/v1/chat/completions", sentModel: "gpt-4.1"),
        Case(
            model: "mistral-7b-instruct", endpoint: "http://vllm.internal:8000/v1", provider: .custom,
            url: "http://vllm.internal:8000/v1/chat/completions", sentModel: "mistral-7b-instruct"),
        Case(
            model: "gpt-4o", endpoint: "https://proxy.example.com/v1/chat/completions", provider: .custom,
            url: "https://proxy.example.com/v1/chat/completions", sentModel: "gpt-4o"),
    ]

    @Test("model name → URL and model", arguments: cases)
    func routes(item: Case) throws {
        let route = try LLMProviderRoute.resolve(
            modelName: item.model, endpoint: item.endpoint, apiKey: Secret("sk-test-key"))
        #expect(route.provider == item.provider)
        #expect(route.chatCompletionsURL == item.url)
        #expect(route.model == item.sentModel)
        #expect(LLMProviderRoute.providerModelName(item.model) == item.sentModel)
        let headers = Dictionary(uniqueKeysWithValues: route.requestHeaders.map { ($0.name, $0.value) })
        #expect(headers["Authorization"] == "Bearer sk-test-key")
        #expect(headers["Content-Type"] == "application/json")
    }

    @Test func openRouterSendsItsAttributionHeaders() throws {
        let route = try LLMProviderRoute.resolve(
            modelName: "openrouter/openai/gpt-4o", endpoint: nil, apiKey: Secret("or-key"),
            appURL: "https://resync.example.com")
        let headers = Dictionary(uniqueKeysWithValues: route.requestHeaders.map { ($0.name, $0.value) })
        #expect(headers["HTTP-Referer"] == "https://resync.example.com")
        #expect(headers["X-Title"] == "Resync")
        #expect(headers["Authorization"] == "Bearer or-key")
    }

    @Test func noKeyMeansNoAuthorizationHeader() throws {
        let route = try LLMProviderRoute.resolve(modelName: "ollama/llama3.1", endpoint: nil, apiKey: nil)
        #expect(!route.requestHeaders.contains { $0.name == "Authorization" })
    }

    @Test func theKeyNeverShowsInDescriptions() throws {
        let route = try LLMProviderRoute.resolve(modelName: "gpt-4o", endpoint: nil, apiKey: Secret("sk-very-secret"))
        #expect(!route.description.contains("sk-very-secret"))
        #expect(!"\(route)".contains("sk-very-secret"))
    }

    @Test func endpointCredentialsNeverShowInDescriptionsOrErrors() throws {
        let route = try LLMProviderRoute.resolve(
            modelName: "m", endpoint: "https://u:canary-pw@llm.example.com/v1?api_key=canary-key", apiKey: nil)
        #expect(!route.description.contains("canary"), "\(route)")
        #expect(route.description.contains("https://****@llm.example.com/v1?api_key=****"))
        let error = #expect(throws: LLMRoutingError.self) {
            try LLMProviderRoute.resolve(modelName: "m", endpoint: "ftp://u:canary-pw@x", apiKey: nil)
        }
        #expect(error.map { !"\($0)".contains("canary") } == true)
    }

    @Test(
        "unroutable names",
        arguments: [("llama3", nil), ("anthropic/claude-3", nil), ("", nil), ("gpt-4o", "ftp://x")]
            as [(String, String?)])
    func unroutable(model: String, endpoint: String?) {
        #expect(throws: LLMRoutingError.self) {
            try LLMProviderRoute.resolve(modelName: model, endpoint: endpoint, apiKey: nil)
        }
    }
}
