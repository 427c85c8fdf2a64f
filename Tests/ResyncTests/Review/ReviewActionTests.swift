import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// Review actions through the page's forms and the JSON API, on a real SQL memory store.
@Suite("Review page and memory API: actions")
struct ReviewActionTests {
    static func seed(_ harness: WebHarness) async throws {
        let now = harness.clock.now()
        try await harness.memories.record(
            Memory(
                id: "sol-1", kind: .knownSolution, jobName: "PAYROLL_FINAL", errorSignature: "RC=12",
                text: "Re-run after the GL file arrives", author: "ana",
                conversation: ConversationRef(platform: .slack, channel: "C1", thread: "1.2"),
                sourceLink: "https://example.slack.com/archives/C1/p12", createdAt: now))
        try await harness.memories.record(
            Memory(
                id: "ans-1", kind: .answeredQuestion, jobName: "GL_CLOSE", question: "why did GL_CLOSE fail?",
                text: "It ended with RC=8", feedback: FeedbackCounts(positive: 2, negative: 1),
                auditorScore: 0.64, auditorReason: "contradicts a newer solution", status: .flagged, createdAt: now))
    }

    static func form(
        _ client: some TestClientProtocol, _ session: BrowserSession, _ uri: String, _ body: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post,
            headers: session.headers(csrf: nil, contentType: "application/x-www-form-urlencoded"),
            body: ByteBuffer(string: "_csrf=\(WebTestClient.encode(session.csrf))&\(body)")
        ) { $0 }
    }

    @Test(arguments: TestEngine.available)
    func pageActionsWriteTheAuditLogAndAreRestorable(engine: TestEngine) async throws {
        try await WebHarness.with(engine: engine) { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                let admin = try await WebTestClient.login(client)
                let page = try await client.execute(uri: "/revisao", method: .get, headers: admin.headers) {
                    String(buffer: $0.body)
                }
                #expect(page.contains("Re-run after the GL file arrives"))
                #expect(page.contains("contradicts a newer solution"))
                #expect(page.contains("https://example.slack.com/archives/C1/p12"))
                #expect(page.contains("name=\"_csrf\" value=\"\(admin.csrf)\""))

                let approve = try await Self.form(
                    client, admin, "/revisao/sol-1/approve", "back=%2Frevisao%3Fstatus%3Dpending")
                #expect(approve.status == .seeOther)
                #expect(approve.headers[.location] == "/revisao?status=pending&done=1")
                #expect(try await harness.memories.memory(id: "sol-1")?.status == .approved)

                let edit = try await Self.form(
                    client, admin, "/revisao/sol-1/edit", "text=Re-run+once+GL+is+in&reason=typo")
                #expect(edit.status == .seeOther)
                #expect(try await harness.memories.memory(id: "sol-1")?.text == "Re-run once GL is in")

                // Reject needs a confirmation step: the first post only shows the question.
                let ask = try await Self.form(client, admin, "/revisao/ans-1/reject", "back=%2Frevisao")
                #expect(ask.status == .ok)
                #expect(String(buffer: ask.body).contains("name=\"confirmed\" value=\"yes\""))
                #expect(try await harness.memories.memory(id: "ans-1")?.status == .flagged)
                _ = try await Self.form(client, admin, "/revisao/ans-1/reject", "confirmed=yes&reason=wrong+RC")
                #expect(try await harness.memories.memory(id: "ans-1")?.status == .rejected)
                _ = try await Self.form(client, admin, "/revisao/ans-1/restore", "reason=was+right")
                #expect(try await harness.memories.memory(id: "ans-1")?.status == .active)

                _ = try await Self.form(client, admin, "/revisao/sol-1/delete", "confirmed=yes&reason=obsolete")
                #expect(try await harness.memories.memory(id: "sol-1")?.status == .deleted)
                _ = try await Self.form(client, admin, "/revisao/sol-1/restore", "")
                #expect(try await harness.memories.memory(id: "sol-1")?.status == .approved)

                let deletedTab = try await client.execute(
                    uri: "/revisao?status=approved&lang=en", method: .get, headers: admin.headers
                ) { String(buffer: $0.body) }
                #expect(deletedTab.contains("Re-run once GL is in"))
                #expect(deletedTab.contains("Approved <span class=\"count\">1</span>"))
            }
            let solution = try await harness.memories.auditLog(memoryID: "sol-1").map(\.action)
            // Restoring back to "approved" is logged by the store as an approve, with the restore's reason.
            #expect(solution == ["create", "approve", "edit", "delete", "approve"])
            let log = try await harness.memories.auditLog(memoryID: "sol-1")
            #expect(log.filter { $0.actor == "admin" }.count == 4)
            #expect(log.contains { $0.reason == "typo" })
            #expect(log.contains { $0.reason == "obsolete" && $0.toStatus == .deleted })
            let answer = try await harness.memories.auditLog(memoryID: "ans-1")
            #expect(answer.contains { $0.reason == "wrong RC" && $0.toStatus == .rejected })
            #expect(answer.last?.toStatus == .active)
        }
    }

    @Test(arguments: TestEngine.available)
    func apiListsWithCountsAndFiltersAndActs(engine: TestEngine) async throws {
        try await WebHarness.with(engine: engine) { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                let admin = try await WebTestClient.login(client)
                let all = try await Self.getJSON(client, admin, "/api/memories")
                let counts = try #require(all["counts"] as? [String: Int])
                #expect(counts == ["pending": 2, "flagged": 1, "approved": 0, "rejected": 0, "deleted": 0])
                #expect((all["memories"] as? [Any])?.count == 2)
                let filtered = try await Self.getJSON(
                    client, admin, "/api/memories?kind=known_solution&job=PAYROLL_FINAL")
                let ids = (filtered["memories"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == ["sol-1"])
                let future = try await Self.getJSON(client, admin, "/api/memories?from=2999-01-01")
                #expect((future["counts"] as? [String: Int])?["pending"] == 0)
                let past = try await Self.getJSON(client, admin, "/api/memories?to=1999-12-31")
                #expect((past["memories"] as? [Any])?.isEmpty == true)
                let span = try await Self.getJSON(client, admin, "/api/memories?from=1999-01-01&to=2999-12-31")
                #expect((span["memories"] as? [Any])?.count == 2)
                let flagged = try await Self.getJSON(client, admin, "/api/memories?status=flagged")
                #expect((flagged["memories"] as? [[String: Any]])?.first?["id"] as? String == "ans-1")

                let edit = try await client.execute(
                    uri: "/api/memories/ans-1", method: .put, headers: admin.headers(csrf: admin.csrf),
                    body: ByteBuffer(string: #"{"text":"It ended with RC=12","reason":"log says 12"}"#)
                ) { $0.status }
                #expect(edit == .ok)
                for action in ["reject", "restore", "approve"] {
                    let status = try await client.execute(
                        uri: "/api/memories/ans-1/\(action)", method: .post, headers: admin.headers(csrf: admin.csrf),
                        body: ByteBuffer(string: #"{"reason":"api \#(action)"}"#)
                    ) { $0.status }
                    #expect(status == .ok, "\(action)")
                }
                let detail = try await Self.getJSON(client, admin, "/api/memories/ans-1")
                let memory = try #require(detail["memory"] as? [String: Any])
                #expect(memory["status"] as? String == "approved")
                #expect(memory["text"] as? String == "It ended with RC=12")
                let actions = (detail["auditLog"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } ?? []
                #expect(Array(actions.suffix(4)) == ["log says 12", "api reject", "api restore", "api approve"])

                let badRestore = try await client.execute(
                    uri: "/api/memories/ans-1/restore", method: .post, headers: admin.headers(csrf: admin.csrf)
                ) { $0.status }
                #expect(badRestore == .conflict)
                let missing = try await client.execute(uri: "/api/memories/nope", method: .get, headers: admin.headers)
                {
                    $0.status
                }
                #expect(missing == .notFound)
                let empty = try await client.execute(
                    uri: "/api/memories/ans-1", method: .put, headers: admin.headers(csrf: admin.csrf),
                    body: ByteBuffer(string: #"{"text":"   "}"#)
                ) { $0.status }
                #expect(empty == .badRequest)
            }
        }
    }

    @Test(
        "a filter /api/memories cannot read is a 400 naming the parameter and what it may be",
        arguments: [
            ("status=bogus", "status='bogus'", "pending, flagged, approved, rejected, deleted"),
            ("limit=0", "limit='0'", "from 1 to 500"), ("limit=abc", "limit='abc'", "from 1 to 500"),
            ("limit=501", "limit='501'", "from 1 to 500"), ("from=2026-13-45", "from='2026-13-45'", "yyyy-MM-dd"),
            ("to=2026-02-30", "to='2026-02-30'", "yyyy-MM-dd"), ("from=26-1-1", "from='26-1-1'", "yyyy-MM-dd"),
            ("from=2026-11-26&to=2026-11-25", "to='2026-11-25'", "the same day as from or later"),
            ("kind=bogus", "kind='bogus'", "answered_question, known_solution"),
            ("platform=bogus", "platform='bogus'", "slack, teams, mattermost, web, cli"),
        ])
    func apiRefusesFiltersItCannotRead(query: String, names: String, allowed: String) async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let admin = try await WebTestClient.login(client)
                try await client.execute(uri: "/api/memories?\(query)", method: .get, headers: admin.headers) {
                    response in
                    #expect(response.status == .badRequest)
                    let body = String(buffer: response.body)
                    #expect(body.contains(names) && body.contains(allowed), "\(body)")
                }
            }
        }
    }

    @Test func apiTakesEveryValidFilterAndEmptyOnesMeanNone() async throws {
        try await WebHarness.with { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                let admin = try await WebTestClient.login(client)
                let all = try await Self.getJSON(
                    client, admin,
                    "/api/memories?status=&platform=&kind=&from=&to=&limit=&q=&job=")
                #expect((all["memories"] as? [Any])?.count == 2)
                let one = try await Self.getJSON(
                    client, admin,
                    "/api/memories?status=Pending&limit=1&from=1999-01-01&to=2999-12-31&kind=answered_question")
                #expect((one["memories"] as? [Any])?.count == 1)
                // The page keeps reading what it can and ignores the rest.
                try await client.execute(uri: "/revisao?status=bogus&limit=0", method: .get, headers: admin.headers) {
                    #expect($0.status == .ok)
                }
            }
        }
    }

    static func getJSON(
        _ client: some TestClientProtocol, _ session: BrowserSession, _ uri: String
    ) async throws -> [String: Any] {
        let data = try await client.execute(uri: uri, method: .get, headers: session.headers) { response in
            #expect(response.status == .ok, "\(uri)")
            return Data(response.body.readableBytesView)
        }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
