import ResyncCore

/// Where a model name sends its requests, resolved the way litellm does it: a provider prefix
/// (`openrouter/…`, `ollama/…`, `nvidia_nim/…`, `openai/…`) picks the base URL and is stripped from the
/// model name; a bare name goes to `LLM_ENDPOINT`, or to OpenAI for `gpt-*`/`o1…` models.
public struct LLMProviderRoute: Hashable, Sendable, CustomStringConvertible {
    public enum Provider: String, Hashable, Sendable, CaseIterable {
        case openAI = "openai"
        case openRouter = "openrouter"
        case ollama
        case nvidiaNIM = "nvidia_nim"
        /// Any OpenAI-compatible server named by `LLM_ENDPOINT` (vLLM, LM Studio, a litellm proxy…).
        case custom
    }

    public static let openAIBaseURL = "https://api.openai.com/v1"
    public static let openRouterBaseURL = "https://openrouter.ai/api/v1"
    public static let ollamaBaseURL = "http://localhost:11434/v1"
    public static let nvidiaNIMBaseURL = "https://integrate.api.nvidia.com/v1"

    public var provider: Provider
    /// Base URL without a trailing slash, e.g. `https://openrouter.ai/api/v1`.
    public var baseURL: String
    /// The model name as the provider knows it (prefix removed).
    public var model: String
    public var apiKey: Secret?
    /// Non-secret headers the provider accepts (OpenRouter's `HTTP-Referer` and `X-Title`).
    public var extraHeaders: [String: String]

    public var chatCompletionsURL: String { baseURL + "/chat/completions" }
    public var embeddingsURL: String { baseURL + "/embeddings" }

    /// Every header a request needs, the bearer key included. Never log the result.
    public var requestHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", "application/json"),
        ]
        if let apiKey, !apiKey.isEmpty { headers.append(("Authorization", "Bearer \(apiKey.value)")) }
        headers += extraHeaders.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        return headers
    }

    public var description: String {
        "\(provider.rawValue) \(Redactor.redactURL(baseURL)) model=\(model) key=\(apiKey.map(\.description) ?? "(none)")"
    }

    /// Resolves `modelName` with `endpoint` (`LLM_ENDPOINT`) and `apiKey` (`LLM_API_KEY`). `variable` names
    /// where the model name came from (`AGENT_MODEL_NAME`, `AUDITOR_MODEL_NAME`), for the error to name it.
    /// `appURL` and `appTitle` become OpenRouter's optional attribution headers.
    public static func resolve(
        modelName: String, endpoint: String?, apiKey: Secret?, variable: String = "AGENT_MODEL_NAME",
        appURL: String? = nil, appTitle: String? = "Resync"
    ) throws(LLMRoutingError) -> LLMProviderRoute {
        let name = modelName.trimmingWhitespace
        guard !name.isEmpty else { throw .emptyModelName(variable: variable) }
        let endpoint = try endpoint.map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }.map(normalized)
        let (prefix, bare) = split(name)
        switch prefix {
        case "openrouter":
            var headers: [String: String] = [:]
            if let appURL { headers["HTTP-Referer"] = appURL }
            if let appTitle { headers["X-Title"] = appTitle }
            return LLMProviderRoute(
                provider: .openRouter, baseURL: openRouterBaseURL, model: bare, apiKey: apiKey, extraHeaders: headers)
        case "ollama", "ollama_chat":
            let base = endpoint.map(ollamaV1) ?? ollamaBaseURL
            return LLMProviderRoute(provider: .ollama, baseURL: base, model: bare, apiKey: apiKey, extraHeaders: [:])
        case "nvidia_nim":
            return LLMProviderRoute(
                provider: .nvidiaNIM, baseURL: endpoint ?? nvidiaNIMBaseURL, model: bare, apiKey: apiKey,
                extraHeaders: [:])
        case "openai":
            return LLMProviderRoute(
                provider: endpoint == nil ? .openAI : .custom, baseURL: endpoint ?? openAIBaseURL, model: bare,
                apiKey: apiKey, extraHeaders: [:])
        default:
            if let endpoint {
                return LLMProviderRoute(
                    provider: .custom, baseURL: endpoint, model: name, apiKey: apiKey, extraHeaders: [:])
            }
            guard prefix == nil, isOpenAIModel(name) else { throw .noEndpoint(variable: variable, model: name) }
            return LLMProviderRoute(
                provider: .openAI, baseURL: openAIBaseURL, model: name, apiKey: apiKey, extraHeaders: [:])
        }
    }

    /// The name sent to the provider for `modelName`: the same prefix rules, without resolving a URL.
    public static func providerModelName(_ modelName: String) -> String {
        let (prefix, bare) = split(modelName.trimmingWhitespace)
        guard let prefix, ["openrouter", "ollama", "ollama_chat", "nvidia_nim", "openai"].contains(prefix) else {
            return modelName.trimmingWhitespace
        }
        return bare
    }

    static func split(_ name: String) -> (prefix: String?, bare: String) {
        guard let slash = name.firstIndex(of: "/") else { return (nil, name) }
        return (String(name[..<slash]).lowercased(), String(name[name.index(after: slash)...]))
    }

    /// OpenAI's own model families: `gpt-4o`, `gpt-4.1-mini`, `o1`, `o3-mini`, `o4-mini`, `chatgpt-4o-latest`.
    static func isOpenAIModel(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered.hasPrefix("gpt-") || lowered.hasPrefix("chatgpt-") { return true }
        guard lowered.first == "o", lowered.count > 1 else { return false }
        return lowered.dropFirst().first?.isNumber == true
    }

    static func normalized(_ endpoint: String) throws(LLMRoutingError) -> String {
        var url = endpoint
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/chat/completions") { url.removeLast("/chat/completions".count) }
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > "https://".count else {
            throw .badEndpoint
        }
        return url
    }

    /// Ollama serves the OpenAI-compatible API under `/v1`; `LLM_ENDPOINT=http://host:11434` means that.
    static func ollamaV1(_ endpoint: String) -> String {
        let afterScheme = endpoint.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        return afterScheme.count <= 3 ? endpoint + "/v1" : endpoint
    }
}

/// A model name that cannot be routed; messages name the variable to fix.
public enum LLMRoutingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `variable` (`AGENT_MODEL_NAME`, `AUDITOR_MODEL_NAME`) is set but blank.
    case emptyModelName(variable: String)
    /// A bare or unknown-prefix model name with no `LLM_ENDPOINT` to send it to.
    case noEndpoint(variable: String, model: String)
    case badEndpoint

    /// The variable to fix.
    public var variable: String {
        switch self {
        case .emptyModelName(let variable), .noEndpoint(let variable, _): variable
        case .badEndpoint: "LLM_ENDPOINT"
        }
    }

    /// What is wrong, for a line that names `variable` first (a configuration error).
    public var problem: String {
        switch self {
        case .emptyModelName: "is empty; set a model name or unset it"
        case .noEndpoint:
            "needs LLM_ENDPOINT, or a provider prefix such as openrouter/, ollama/, nvidia_nim/ (or an OpenAI gpt-… name)"
        // The URL itself is not repeated: it may carry credentials.
        case .badEndpoint: "is not an http(s) URL"
        }
    }

    public var description: String {
        switch self {
        case .noEndpoint(let variable, let model): "\(variable) '\(model)' \(problem)"
        default: "\(variable) \(problem)"
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var result = Substring(self)
        while result.first?.isWhitespace == true { result = result.dropFirst() }
        while result.last?.isWhitespace == true { result = result.dropLast() }
        return String(result)
    }
}
