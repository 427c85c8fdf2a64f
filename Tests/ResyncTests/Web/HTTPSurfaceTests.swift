import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("HTTP surface of the foundation")
struct HTTPSurfaceTests {
    static func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withApp { client, _ in try await body(client) }
    }

    /// The whole application, services included (the embedded HWA simulator and its client), on port 0.
    static func withApp(
        environment: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, AppDependencies) async throws -> Void
    ) async throws {
        let config = try AppConfig.load(
            environment: [
                "DATABASE_URL": "sqlite::memory:", "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0",
                "KNOWLEDGE_BASE_PATH": RepositoryPaths.root.appendingPathComponent("Config/knowledge_base.xlsx").path,
                "TWS_MOCK_DATA": RepositoryPaths.root.appendingPathComponent("Config/mock_tws_data.json").path,
            ].merging(environment) { $1 })
        let logger = TestLogging.quiet("test.web")
        let dependencies = try await ResyncApplication.makeDependencies(
            config: config, registry: TestMetrics.registry, logger: logger)
        let app = ResyncApplication.buildApplication(dependencies)
        try await app.test(.live) { client in try await body(client, dependencies) }
    }

    /// `resync serve` stores web chat votes: the composition root wires the feedback store into the web side.
    @Test func webChatVotesAreStoredByTheComposedApplication() async throws {
        let token = "api-token-0123456789abcdef0123456789"
        try await Self.withApp(environment: ["RESYNC_API_TOKEN": token]) { client, dependencies in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let answerID = try await client.execute(
                uri: "/api/ask", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"question":"status of PAYROLL_FINAL"}"#)
            ) { response in
                #expect(response.status == .ok)
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                return try #require(answer?["id"] as? String)
            }
            for polarity in ["negative", "negative", "positive"] {
                try await client.execute(
                    uri: "/api/feedback", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"answerId":"\#(answerID)","polarity":"\#(polarity)"}"#)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""stored":true"#))
                }
            }
            try await client.execute(
                uri: "/api/feedback", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"answerId":"not-an-answer","polarity":"positive"}"#)
            ) { #expect($0.status == .notFound) }
            let rows = try await SQLAnswerFeedbackStore(database: dependencies.database).feedback(answerID: answerID)
            #expect(rows.map(\.feedback.user) == ["api-token"])
            #expect(rows.first?.feedback.polarity == .positive && rows.first?.feedback.conversation.platform == .web)
            let activity = try #require(await dependencies.web?.bot.summary())
            #expect(activity.positiveFeedback == 1 && activity.negativeFeedback == 0)
        }
    }

    @Test func healthzAnswers() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.headers[HTTPField.Name("X-Request-Id")!].map { !$0.isEmpty } == true)
            }
        }
    }

    @Test func readyzReportsTheDatabase() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let report = try JSONDecoder().decode(Readiness.self, from: Data(buffer: response.body))
                #expect(report.ready)
                #expect(report.components.contains { $0.name == "database" && $0.ok })
                #expect(report.components.contains { $0.name == "hwa" && $0.ok })
            }
        }
    }

    @Test func metricsCountRequests() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/healthz", method: .get) { _ in }
            for path in ["/metrics", "/api/metrics"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                    let text = String(buffer: response.body)
                    #expect(text.contains("# TYPE hb_requests counter"))
                    #expect(text.contains(#"hb_requests{http_route="/healthz""#))
                }
            }
        }
    }

    @Test func metricsCountErrorsWithBoundedLabelsAndErrorsStayJSON() async throws {
        try await Self.withApp { client in
            let refused: [(String, HTTPResponse.Status)] = [
                ("/no/such/route/\(UUID().uuidString)", .notFound), ("/api/health-summary", .unauthorized),
            ]
            for (path, status) in refused {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == status)
                    let error = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(buffer: response.body))
                    #expect(error.error.status == Int(status.code))
                }
            }
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            // Counted, not just declared: the series exists at 0 as soon as a route answers.
            let errors = text.split(separator: "\n").filter {
                $0.hasPrefix("hb_request_errors{") && ($0.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 0
            }
            #expect(errors.contains { $0.contains(#"http_route="NotFound""#) && $0.contains(#"error_type="404""#) })
            #expect(
                errors.contains {
                    $0.contains(#"http_route="/api/health-summary""#) && $0.contains(#"error_type="401""#)
                })
            // Labels are route templates, never the path asked for.
            #expect(!text.contains("/no/such/route"))
        }
    }

    @Test func oversizeBodyGets413WithJSONError() async throws {
        try await Self.withApp { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
            try await client.execute(uri: "/healthz", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
                let error = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(buffer: response.body))
                #expect(error.error.status == 413)
                #expect(error.error.message.contains("1 MiB"))
            }
        }
    }

    @Test func unknownRouteGetsJSON404() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/no/such/route", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(buffer: response.body))
                #expect(error.error.status == 404)
                #expect(!error.error.requestId.isEmpty)
            }
        }
    }

    @Test(
        "malformed or hostile request ids are replaced",
        arguments: [
            "x\u{7f}y", String(repeating: "a", count: 200), "a b", "id\"injection",
        ])
    func hostileRequestIDIsReplaced(id: String) async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: id]) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Request-Id")!] != id)
            }
        }
    }

    @Test func saneRequestIDIsEchoed() async throws {
        try await Self.withApp { client in
            try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "trace-42_ab"]
            ) { response in
                #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "trace-42_ab")
            }
        }
    }

    @Test func wrongMethodIsAClientError() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/readyz", method: .delete) { response in
                #expect((400..<500).contains(response.status.code))
            }
        }
    }

    struct Readiness: Decodable {
        struct Component: Decodable {
            var name: String
            var ok: Bool
        }

        var ready: Bool
        var components: [Component]
    }

    struct ErrorEnvelope: Decodable {
        struct Detail: Decodable {
            var status: Int
            var message: String
            var requestId: String
        }

        var error: Detail
    }
}
