import Foundation
import ResyncCore

/// The request body of `POST /chat/completions`.
struct ChatCompletionBody: Encodable {
    struct Message: Encodable {
        var role: String
        var content: String?
        var tool_calls: [ToolCall]?
        var tool_call_id: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            // OpenAI wants `content: null` on assistant messages that only call tools.
            try container.encode(content, forKey: .content)
            try container.encodeIfPresent(tool_calls, forKey: .tool_calls)
            try container.encodeIfPresent(tool_call_id, forKey: .tool_call_id)
        }

        enum CodingKeys: String, CodingKey { case role, content, tool_calls, tool_call_id }
    }

    struct ToolCall: Codable {
        struct Function: Codable {
            var name: String
            var arguments: String
        }

        var id: String
        var type: String
        var function: Function
    }

    struct Tool: Encodable {
        struct Function: Encodable {
            var name: String
            var description: String
            var parameters: JSONValue
        }

        var type = "function"
        var function: Function
    }

    struct ResponseFormat: Encodable { var type: String }

    var model: String
    var messages: [Message]
    var tools: [Tool]?
    var max_tokens: Int?
    var temperature: Double?
    var response_format: ResponseFormat?
    var stream = false

    init(_ request: LLMRequest, model: String) throws(LLMError) {
        self.model = model
        messages = request.messages.map { message in
            Message(
                role: message.role.rawValue, content: message.content,
                tool_calls: message.toolCalls.isEmpty
                    ? nil
                    : message.toolCalls.map {
                        ToolCall(id: $0.id, type: "function", function: .init(name: $0.name, arguments: $0.arguments))
                    },
                tool_call_id: message.toolCallID)
        }
        var tools: [Tool] = []
        for tool in request.tools {
            guard let schema = try? JSONDecoder().decode(JSONValue.self, from: Data(tool.parametersJSONSchema.utf8))
            else {
                throw .malformedResponse("tool \(tool.name) has a parameter schema that is not JSON")
            }
            tools.append(Tool(function: .init(name: tool.name, description: tool.description, parameters: schema)))
        }
        self.tools = tools.isEmpty ? nil : tools
        max_tokens = request.maxTokens
        temperature = request.temperature
        response_format = request.jsonResponse ? ResponseFormat(type: "json_object") : nil
    }
}

/// The parts of a chat-completion response Resync reads.
struct ChatCompletionReply: Decodable {
    struct Choice: Decodable {
        var message: Message
    }

    struct Message: Decodable {
        var role: String?
        var content: String?
        var tool_calls: [ToolCall]?
    }

    struct ToolCall: Decodable {
        struct Function: Decodable {
            var name: String
            var arguments: String

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try container.decode(String.self, forKey: .name)
                // The standard is a JSON string; some servers send the object itself.
                if let text = try? container.decode(String.self, forKey: .arguments) {
                    arguments = text
                } else if let object = try container.decodeIfPresent(JSONValue.self, forKey: .arguments) {
                    arguments = String(decoding: try JSONEncoder().encode(object), as: UTF8.self)
                } else {
                    arguments = "{}"
                }
            }

            enum CodingKeys: String, CodingKey { case name, arguments }
        }

        var id: String?
        var function: Function
    }

    struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }

    var choices: [Choice]
    var usage: Usage?

    func response() throws(LLMError) -> LLMResponse {
        guard let message = choices.first?.message else { throw .malformedResponse("no choices in the reply") }
        let calls = (message.tool_calls ?? []).enumerated().map { index, call in
            LLMToolCall(id: call.id ?? "call_\(index)", name: call.function.name, arguments: call.function.arguments)
        }
        return LLMResponse(
            message: LLMMessage(role: .assistant, content: message.content, toolCalls: calls),
            promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens)
    }
}

/// `{"error": {"message": "…"}}`, the error body OpenAI-compatible servers send.
struct ChatCompletionErrorBody: Decodable {
    struct Detail: Decodable { var message: String? }
    var error: Detail?
}
