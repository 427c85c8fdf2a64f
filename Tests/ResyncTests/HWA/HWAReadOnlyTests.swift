import Foundation
import HWASimulator
import ResyncCore
import TestSupport
import Testing

@testable import HWA

/// Resync is read-only towards HWA by construction: no write operation of the V2 API can leave the process.
@Suite("HWA read-only guarantee")
struct HWAReadOnlyTests {
    /// `/twsd/api/v2/plan/job/{job_id}/action/rerun` → `/api/v2/plan/job/<uuid>/action/rerun` (relative to the base).
    static func concrete(_ template: String) -> String {
        let relative = template.hasPrefix("/twsd") ? String(template.dropFirst("/twsd".count)) : template
        return relative.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") ? "0f8e6c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b" : String(segment)
        }.joined(separator: "/")
    }

    @Test("every write operation of the OpenAPI document is refused before a byte is sent")
    func sweepEveryWrite() async throws {
        guard let document = try OpenAPIDocument.load() else {
            print("SKIPPED: shared/reference/hwa-rest-api-v2.openapi.json not found above \(#filePath)")
            return
        }
        let writes = document.operations.filter { $0.method != "GET" && $0.method != "HEAD" && $0.method != "OPTIONS" }
        #expect(writes.count > 150, "the document should declare its PUT/POST/PATCH/DELETE operations")
        #expect(writes.contains { $0.method == "PUT" && $0.path.hasSuffix("/plan/job/run/{run_id}/action/rerun") })
        #expect(writes.contains { $0.method == "POST" && $0.path.hasSuffix("/plan/job/submit") })
        #expect(writes.contains { $0.method == "PATCH" } && writes.contains { $0.method == "DELETE" })
        let scenario = SimulatorScenarios.manyJobs(1)
        try await withHWASimulator(scenario: scenario) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                for operation in writes {
                    let path = Self.concrete(operation.path)
                    await #expect(throws: SchedulerError.refusedWrite(method: operation.method, path: path)) {
                        try await client.transport.send(
                            method: operation.method, operation: "sweep", path: path, query: [])
                    }
                }
                // Reads outside the allow-list are refused too.
                for operation in document.operations where operation.method == "GET" {
                    let path = Self.concrete(operation.path)
                    let allowed = ReadOnlyGate.allowedTemplates.map(Self.concrete).contains(path)
                    if !allowed {
                        await #expect(throws: SchedulerError.refusedWrite(method: "GET", path: path)) {
                            try await client.transport.send(method: "GET", operation: "sweep", path: path, query: [])
                        }
                    }
                }
                #expect(await simulator.requestCount() == 0)
            }
        }
    }

    @Test(
        "the gate admits only GET on the allow-list",
        arguments: [
            ("GET", "/api/v2/plan/job", true),
            ("GET", "/api/v2/plan/job/7c7a1b50-0000-4000-8000-000000000001", true),
            ("GET", "/api/v2/plan/job/run/7c7a1b50-0000-4000-8000-000000000001/joblog", true),
            ("GET", "/api/v2/engine/info", true),
            ("get", "/api/v2/plan/workstation", true),
            ("PUT", "/api/v2/plan/job", false),
            ("POST", "/api/v2/plan/job", false),
            ("GET", "/api/v2/plan/job/action", false),
            ("GET", "/api/v2/plan/job/submit", false),
            ("GET", "/api/v2/plan/job/x/../action/rerun", false),
            ("GET", "/api/v2/plan/job/a%2Faction", false),
            ("GET", "/api/v2/plan/job/", false),
            ("GET", "api/v2/plan/job", false),
            ("GET", "/api/v2/plan/job/run/abc/action/rerun", false),
            ("GET", "/api/v2/model/jobstream", false),
            ("DELETE", "/api/v2/plan/job/abc", false),
        ])
    func gate(method: String, path: String, allowed: Bool) {
        let passed = (try? ReadOnlyGate.check(method: method, path: path)) != nil
        #expect(passed == allowed)
    }
}
