import Foundation
import Hummingbird
import HummingbirdTesting
import LLM
import ResyncCore
import TestSupport
import Testing

/// Runs `body` with a client pointed at a live fake OpenAI-compatible server.
func withFakeLLM(
    _ script: [FakeOpenAIServer.Step], model: String = "ollama/llama3.1",
    _ body: @escaping @Sendable (FakeOpenAIServer, OpenAICompatibleClient) async throws -> Void
) async throws {
    let server = FakeOpenAIServer(script: script)
    try await server.makeApplication().test(.live) { client in
        let port = try #require(client.port)
        let route = try LLMProviderRoute.resolve(
            modelName: model, endpoint: FakeOpenAIServer.baseURL(port: port), apiKey: Secret("sk-test-secret-key"))
        try await body(server, OpenAICompatibleClient(route: route))
    }
}

@Suite("OpenAI-compatible client over HTTP")
struct OpenAICompatibleClientTests {
    static let tool = LLMTool(
        name: "get_job_status", description: "status",
        parametersJSONSchema: #"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#)

    @Test func sendsToolsAndReadsToolCalls() async throws {
        try await withFakeLLM([.toolCalls([("get_job_status", #"{"name":"PAYROLL_FINAL"}"#)])]) { server, client in
            let response = try await client.complete(
                LLMRequest(
                    model: "ollama/llama3.1", messages: [LLMMessage(role: .user, content: "status?")],
                    tools: [Self.tool],
                    maxTokens: 100, temperature: 0))
            #expect(
                response.message.toolCalls == [
                    LLMToolCall(id: "call_1", name: "get_job_status", arguments: #"{"name":"PAYROLL_FINAL"}"#)
                ])
            #expect(response.promptTokens == 120)
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer sk-test-secret-key")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
            #expect(body["model"] as? String == "llama3.1")
            let tools = try #require(body["tools"] as? [[String: Any]])
            let function = try #require(tools.first?["function"] as? [String: Any])
            #expect(function["name"] as? String == "get_job_status")
            #expect((function["parameters"] as? [String: Any])?["type"] as? String == "object")
        }
    }

    @Test func sendsToolResultsBack() async throws {
        try await withFakeLLM([.text("done")]) { server, client in
            let messages = [
                LLMMessage(role: .user, content: "q"),
                LLMMessage(
                    role: .assistant, content: nil,
                    toolCalls: [LLMToolCall(id: "c1", name: "get_job_status", arguments: "{}")]),
                LLMMessage(role: .tool, content: #"{"data":[]}"#, toolCallID: "c1"),
            ]
            let response = try await client.complete(LLMRequest(model: "", messages: messages))
            #expect(response.message.content == "done")
            let body = try #require(server.requests.first?.body)
            #expect(body.contains(#""tool_call_id":"c1""#))
            #expect(body.contains(#""content":null"#))
        }
    }

    @Test func serverErrorsBecomeHTTPErrorsWithoutTheKey() async throws {
        try await withFakeLLM([.status(503, "overloaded, key sk-test-secret-key rejected")]) { _, client in
            do {
                _ = try await client.complete(LLMRequest(model: "", messages: [LLMMessage(role: .user, content: "q")]))
                Issue.record("expected an error")
            } catch let error as LLMError {
                guard case .http(let status, _) = error else {
                    Issue.record("expected .http, got \(error)")
                    return
                }
                #expect(status == 503)
            }
        }
    }

    @Test func garbageIsMalformed() async throws {
        try await withFakeLLM([.garbage("<html>not json</html>")]) { _, client in
            await #expect(throws: LLMError.malformedResponse("the body is not a chat completion")) {
                _ = try await client.complete(LLMRequest(model: "", messages: [LLMMessage(role: .user, content: "q")]))
            }
        }
    }

    @Test func slowServerTimesOut() async throws {
        try await withFakeLLM([.delay(.seconds(3), then: .text("late"))]) { _, client in
            await #expect(throws: LLMError.timedOut) {
                _ = try await client.complete(
                    LLMRequest(
                        model: "", messages: [LLMMessage(role: .user, content: "q")], timeout: .milliseconds(300)))
            }
        }
    }

    @Test func unreachableServerIsATransportError() async throws {
        let route = try LLMProviderRoute.resolve(
            modelName: "m", endpoint: "http://127.0.0.1:9/v1", apiKey: Secret("sk-x"))
        do {
            _ = try await OpenAICompatibleClient(route: route).complete(
                LLMRequest(model: "", messages: [LLMMessage(role: .user, content: "q")], timeout: .seconds(2)))
            Issue.record("expected an error")
        } catch let error as LLMError {
            #expect(!error.description.contains("sk-x"))
        }
    }
}
