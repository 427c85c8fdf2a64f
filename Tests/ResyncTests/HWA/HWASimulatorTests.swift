import AsyncHTTPClient
import Foundation
import HWA
import HWASimulator
import NIOCore
import NIOHTTP1
import ResyncCore
import TestSupport
import Testing

@Suite("HWA simulator: OQL, scenarios, admin")
struct HWASimulatorTests {
    static let job: JSONValue = [
        "name": "PAYROLL_FINAL", "folder": "/FINANCE", "priority": 50, "schedTime": "2026-11-26T01:00:00Z",
        "jobruns": [["compositeStatus": ["status": "SUCC"]], ["compositeStatus": ["status": "ABEND"]]],
    ]

    @Test(
        "the OQL subset",
        arguments: [
            ("name = 'PAYROLL_FINAL'", true),
            ("name != 'PAYROLL_FINAL'", false),
            ("name LIKE 'PAY%'", true),
            ("name LIKE '*FINAL'", true),
            ("name LIKE '@ROLL@'", true),
            ("name LIKE 'ROLL@'", false),
            ("folder IN ['/HR','/FINANCE']", true),
            ("folder = ['/HR']", false),
            ("jobruns.compositeStatus.status = 'ABEND'", true),
            ("name = 'X' OR (folder = '/FINANCE' AND priority >= 50)", true),
            ("name = 'X' OR folder = '/FINANCE' AND priority > 50", false),
            ("schedTime >= '2026-11-26T00:59:59.000Z' AND schedTime <= '2026-11-26T01:00:00Z'", true),
            ("schedTime < '2026-11-26T00:00:00Z'", false),
            ("name = 'PAYROLL_FINAL' ORDER BY name DESC", true),
            ("", true),
        ])
    func oql(text: String, matches: Bool) throws {
        #expect(try OQLQuery(text).matches(Self.job) == matches)
    }

    @Test("OQL syntax errors", arguments: ["name = ", "name 'X'", "(name = 'X'", "name = 'X", "name ! 'X'", "AND"])
    func oqlErrors(text: String) {
        #expect(throws: OQLSyntaxError.self) { try OQLQuery(text) }
    }

    @Test("the original minimal format is accepted")
    func legacyFormat() async throws {
        let json = """
            {"connection_status": true,
             "workstations_status": [{"name": "CPU1", "status": "LINKED"}, {"name": "CPU2", "status": "UNLINKED"}],
             "jobs_status": [{"name": "JOB1", "workstation": "CPU1", "status": "ABEND", "job_stream": "DAILY"},
                             {"name": "JOB2", "workstation": "CPU1", "status": "SUCC", "job_stream": "DAILY"}],
             "critical_path_status": []}
            """
        let scenario = try SimulatorScenario.decode(Data(json.utf8))
        #expect(scenario.jobs.count == 2)
        try await withHWASimulator(scenario: scenario) { _, url in
            try await withHWAClient(baseURL: url) { client in
                let failed = try await client.jobs(matching: .failed(since: nil))
                #expect(failed.map(\.name) == ["JOB1"])
                let workstations = try await client.workstations()
                #expect(workstations.first { $0.name == "CPU2" }?.linked == false)
            }
        }
        let down = try SimulatorScenario.decode(Data(#"{"connection_status": false, "jobs_status": []}"#.utf8))
        try await withHWASimulator(scenario: down) { _, url in
            try await withHWAClient(baseURL: url, configure: { $0.retry.maxAttempts = 1 }) { client in
                await #expect(throws: SchedulerError.self) { try await client.engineInfo() }
            }
        }
    }

    @Test("a scenario event naming an unknown job is rejected with the file name")
    func invalidScenario() {
        let json = #"{"jobs": [], "events": [{"afterSeconds": 1, "job": "GHOST", "status": "ABEND"}]}"#
        #expect(throws: SimulatorScenarioError.self) { try SimulatorScenario.decode(Data(json.utf8), source: "x.json") }
    }

    @Test("faults can be changed at run time through the admin endpoint")
    func adminEndpoint() async throws {
        try await withHWASimulator(scenario: SimulatorScenarios.manyJobs(1)) { simulator, url in
            let admin = url.replacingOccurrences(of: "/twsd", with: "/__simulator")
            let status = try await Self.put(admin + "/faults", body: #"{"failNext": 1, "errorStatus": 502}"#)
            #expect(status == 200)
            #expect(await simulator.currentFaults().failNext == 1)
            #expect(await simulator.currentFaults().errorStatus == 502)
            #expect(await simulator.currentFaults().latencyMs == 0)
            let version = try await withHWAClient(baseURL: url) { client in try await client.engineInfo().version }
            #expect(version == "10.2.5")
            #expect(await simulator.requestCount() == 2)
        }
    }

    @Test("paging links, Include-Count, Basic and Bearer auth and 401 bodies over raw HTTP")
    func rawHTTP() async throws {
        try await withHWASimulator(scenario: SimulatorScenarios.manyJobs(5)) { _, url in
            let basic =
                "Basic "
                + Data("\(SimulatorTestAuth.user):\(SimulatorTestAuth.password.value)".utf8)
                .base64EncodedString()
            let first = try await Self.get(url + "/api/v2/plan/job?limit=2&offset=2", authorization: basic)
            #expect(first.status == 200)
            #expect(first.json["count"] == .int(5))
            #expect(first.json["next"]?.stringValue == url + "/api/v2/plan/job?limit=2&offset=4")
            #expect(first.json["previous"]?.stringValue == url + "/api/v2/plan/job?limit=2&offset=0")
            let uncounted = try await Self.get(
                url + "/api/v2/plan/job?limit=2", authorization: basic, headers: ["Include-Count": "false"])
            #expect(uncounted.json["count"] == nil)
            let bearer = try await Self.get(
                url + "/api/v2/plan/workstation", authorization: "Bearer \(SimulatorTestAuth.apiKey.value)")
            #expect(bearer.status == 200)
            let anonymous = try await Self.get(url + "/api/v2/engine/info", authorization: nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.json["exceptionName"] != nil)
            let badOQL = try await Self.get(url + "/api/v2/plan/job?oql=name%20%3D", authorization: basic)
            #expect(badOQL.status == 400)
            #expect(badOQL.json["messages"] != nil)
        }
    }

    static func get(
        _ url: String, authorization: String?, headers: [String: String] = [:]
    ) async throws -> (status: UInt, json: JSONValue) {
        var request = HTTPClientRequest(url: url)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)))
    }

    static func put(_ url: String, body: String) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }
}
