import Foundation
import Hummingbird
import Prometheus
import ResyncCore

/// One thing `/readyz` checks: the store is open, HWA (or the simulator) answers…
public struct ReadinessCheck: Sendable {
    public var name: String
    public var check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

struct ReadinessReport: ResponseEncodable {
    struct Component: Codable {
        var name: String
        var ok: Bool
        var detail: String?
    }

    var ready: Bool
    var components: [Component]
}

extension Router where Context == AppRequestContext {
    /// `/healthz` (the process answers), `/readyz` (its dependencies do) and the Prometheus endpoints.
    func addHealthRoutes(readiness: [ReadinessCheck], registry: PrometheusCollectorRegistry) {
        get("/healthz") { _, _ in
            ["status": "ok"]
        }
        get("/readyz") { _, _ -> EditedResponse<ReadinessReport> in
            let components = await Self.runChecks(readiness)
            let ready = components.allSatisfy(\.ok)
            return EditedResponse(
                status: ready ? .ok : .serviceUnavailable,
                response: ReadinessReport(ready: ready, components: components))
        }
        let metrics: @Sendable (Request, Context) async throws -> Response = { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16_384)
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        get("/metrics", use: metrics)
        get("/api/metrics", use: metrics)
    }

    static func runChecks(_ checks: [ReadinessCheck]) async -> [ReadinessReport.Component] {
        await withTaskGroup(of: (Int, ReadinessReport.Component).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask {
                    do {
                        try await withDeadline(.seconds(3)) { try await check.check() }
                        return (index, .init(name: check.name, ok: true, detail: nil))
                    } catch {
                        return (index, .init(name: check.name, ok: false, detail: "\(error)"))
                    }
                }
            }
            var results: [(Int, ReadinessReport.Component)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
