import AsyncHTTPClient
import Foundation
import HWASimulator
import NIOCore
import NIOHTTP1
import ResyncCore
import TestSupport
import Testing

/// The simulator's answers for every endpoint the client uses, validated against the OpenAPI schemas.
@Suite("HWA simulator contract")
struct HWAContractTests {
    static func fetch(_ url: String) async throws -> (status: UInt, contentType: String?, body: Data) {
        var request = HTTPClientRequest(url: url)
        let token = Data("\(SimulatorTestAuth.user):\(SimulatorTestAuth.password.value)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        return (response.status.code, response.headers.first(name: "Content-Type"), Data(body.readableBytesView))
    }

    @Test("responses match the V2 schemas")
    func responsesMatchSchemas() async throws {
        guard let document = try OpenAPIDocument.load() else {
            print("SKIPPED: shared/reference/hwa-rest-api-v2.openapi.json not found above \(#filePath)")
            return
        }
        let scenario = try SimulatorScenarios.defaultScenario()
        try await withHWASimulator(scenario: scenario) { _, base in
            let list = try await Self.fetch(base + "/api/v2/plan/job?limit=5&oql=name%20LIKE%20'@'")
            let listJSON = try JSONDecoder().decode(JSONValue.self, from: list.body)
            guard case .array(let results)? = listJSON["results"], case .string(let jobID)? = results.first?["id"],
                case .array(let runs)? = results.first?["jobruns"], case .string(let runID)? = runs.last?["id"]
            else {
                Issue.record("the job list has no job with a run")
                return
            }
            #expect(listJSON["next"] != nil && listJSON["count"] == .int(33))
            let endpoints: [(template: String, url: String)] = [
                ("/twsd/api/v2/plan/job", "/api/v2/plan/job?limit=5"),
                ("/twsd/api/v2/plan/job/{job_id}", "/api/v2/plan/job/\(jobID)"),
                ("/twsd/api/v2/plan/jobstream", "/api/v2/plan/jobstream"),
                ("/twsd/api/v2/plan/workstation", "/api/v2/plan/workstation"),
                ("/twsd/api/v2/engine/info", "/api/v2/engine/info"),
                (
                    "/twsd/api/v2/plan/job/count",
                    "/api/v2/plan/job/count?plan_filter=%2F%40%2F%40%23%2F%40%2F%40.%40&grouping_filters=status"
                ),
            ]
            for endpoint in endpoints {
                let schema = try #require(document.responseSchema(get: endpoint.template), "\(endpoint.template)")
                let answer = try await Self.fetch(base + endpoint.url)
                #expect(answer.status == 200, "\(endpoint.url)")
                #expect(answer.contentType == "application/json")
                let value = try JSONDecoder().decode(JSONValue.self, from: answer.body)
                let problems = document.validate(value, against: schema)
                #expect(problems.isEmpty, "\(endpoint.template): \(problems.prefix(5))")
            }
            let log = try await Self.fetch(base + "/api/v2/plan/job/run/\(runID)/joblog?from_line=1&to_line=2")
            #expect(log.status == 200)
            #expect(document.contentTypes(get: "/twsd/api/v2/plan/job/run/{run_id}/joblog") == [log.contentType])
            let missing = try await Self.fetch(base + "/api/v2/plan/job/00000000-0000-0000-0000-000000000000")
            #expect(missing.status == 404)
            let error = try JSONDecoder().decode(JSONValue.self, from: missing.body)
            #expect(error["exceptionName"] != nil)
            #expect(error["messages"].flatMap { if case .array(let m) = $0 { m.count } else { nil } } == 1)
        }
    }

    @Test("the schema checker rejects what the schemas forbid")
    func checkerRejects() throws {
        guard let document = try OpenAPIDocument.load() else {
            print("SKIPPED: shared/reference/hwa-rest-api-v2.openapi.json not found above \(#filePath)")
            return
        }
        let schema = try #require(document.responseSchema(get: "/twsd/api/v2/plan/job"))
        let bad: JSONValue = [
            "count": "many",
            "results": [["id": 7, "lastRunCommonStatus": "NOT_A_STATUS", "jobruns": "none", "schedTime": "yesterday"]],
        ]
        let problems = document.validate(bad, against: schema)
        #expect(problems.count == 5, "\(problems)")
        let streams = try #require(document.responseSchema(get: "/twsd/api/v2/plan/jobstream"))
        let missingRequired: JSONValue = ["results": [["name": "X"]]]
        #expect(
            document.validate(missingRequired, against: streams) == [
                "$.results[0]: missing required 'originalJobStreamName'"
            ])
    }
}
