import Foundation

/// A message of an OpenAI-compatible chat completion.
public struct LLMMessage: Hashable, Sendable, Codable {
    public enum Role: String, Hashable, Sendable, Codable { case system, user, assistant, tool }

    public var role: Role
    public var content: String?
    public var toolCalls: [LLMToolCall]
    /// For `tool` messages: the id of the call this answers.
    public var toolCallID: String?

    public init(role: Role, content: String?, toolCalls: [LLMToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }
}

/// A function call the model asked for; `arguments` is the raw JSON text the model produced.
public struct LLMToolCall: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A tool offered to the model: a name, a description and a JSON Schema for its arguments (as JSON text).
public struct LLMTool: Hashable, Sendable, Codable {
    public var name: String
    public var description: String
    public var parametersJSONSchema: String

    public init(name: String, description: String, parametersJSONSchema: String) {
        self.name = name
        self.description = description
        self.parametersJSONSchema = parametersJSONSchema
    }
}

public struct LLMRequest: Hashable, Sendable {
    public var model: String
    public var messages: [LLMMessage]
    public var tools: [LLMTool]
    public var maxTokens: Int?
    public var temperature: Double?
    /// Ask for a JSON object reply (`response_format: json_object`).
    public var jsonResponse: Bool
    public var timeout: Duration

    public init(
        model: String, messages: [LLMMessage], tools: [LLMTool] = [], maxTokens: Int? = nil,
        temperature: Double? = nil, jsonResponse: Bool = false, timeout: Duration = .seconds(20)
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.jsonResponse = jsonResponse
        self.timeout = timeout
    }
}

public struct LLMResponse: Hashable, Sendable {
    public var message: LLMMessage
    public var promptTokens: Int?
    public var completionTokens: Int?

    public init(message: LLMMessage, promptTokens: Int? = nil, completionTokens: Int? = nil) {
        self.message = message
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// Errors an LLM adapter reports; messages never contain the API key.
public enum LLMError: Error, Hashable, Sendable, CustomStringConvertible {
    case notConfigured
    case timedOut
    case http(status: Int, message: String)
    case malformedResponse(String)
    case transport(String)

    public var description: String {
        switch self {
        case .notConfigured: "no LLM configured (set AGENT_MODEL_NAME)"
        case .timedOut: "the LLM did not answer in time"
        case .http(let status, let message): "the LLM endpoint answered \(status): \(message)"
        case .malformedResponse(let detail): "the LLM sent a response that could not be read: \(detail)"
        case .transport(let detail): "the LLM endpoint could not be reached: \(detail)"
        }
    }
}

/// An OpenAI-compatible chat-completions endpoint.
public protocol LLMClient: Sendable {
    /// One chat completion (non-streaming), bounded by `request.timeout`.
    func complete(_ request: LLMRequest) async throws -> LLMResponse
}
