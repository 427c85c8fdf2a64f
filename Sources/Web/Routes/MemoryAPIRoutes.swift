import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResyncCore

/// `/api/memories…`: the review page's actions as JSON, for an admin session (with `X-CSRF-Token` on changes) or
/// `Authorization: Bearer <RESYNC_API_TOKEN>`. The access policy already keeps everyone else out.
struct MemoryAPIRoutes: Sendable {
    let curator: MemoryCurator

    struct ReasonBody: Decodable { var reason: String? }
    struct EditBody: Decodable {
        var text: String
        var reason: String?
    }

    struct ListResponse: Encodable {
        var status: String
        var counts: ReviewCounts
        var memories: [Memory]
    }

    struct DetailResponse: Encodable {
        var memory: Memory
        var auditLog: [AuditLogEntry]
    }

    func register(on router: Router<AppRequestContext>) {
        let curator = self.curator
        router.get("/api/memories") { request, _ in
            let query: ReviewQuery
            do throws(ReviewQueryError) {
                query = try ReviewQuery.strict(request.uri.queryParameters)
            } catch {
                throw error.httpError
            }
            let memories = try await curator.list(query)
            let counts = try await curator.counts(query)
            return try Self.json(ListResponse(status: query.tab.rawValue, counts: counts, memories: memories))
        }
        router.get("/api/memories/:id") { _, context in
            let id = try context.parameters.require("id")
            return try await Self.mapping {
                let memory = try await curator.memory(id: id)
                return try Self.json(DetailResponse(memory: memory, auditLog: try await curator.auditLog(id: id)))
            }
        }
        router.put("/api/memories/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: EditBody.self, context: context)
            return try await Self.mapping {
                try Self.json(
                    try await curator.edit(id: id, text: body.text, actor: Self.actor(context), reason: body.reason))
            }
        }
        router.post("/api/memories/:id/:action") { request, context in
            let id = try context.parameters.require("id")
            guard let action = context.parameters.get("action").flatMap(ReviewAction.init(rawValue:)) else {
                throw HTTPError(.notFound, message: "unknown action; use approve, reject, restore or delete")
            }
            let body = try await Self.reasonBody(request, context: context)
            return try await Self.mapping {
                try Self.json(
                    try await curator.perform(action, id: id, actor: Self.actor(context), reason: body.reason))
            }
        }
    }

    static func actor(_ context: AppRequestContext) -> String {
        context.identity?.user ?? "unknown"
    }

    /// The reason is optional, and so is the body.
    static func reasonBody(_ request: Request, context: AppRequestContext) async throws -> ReasonBody {
        var request = request
        let bytes = try await request.collectBody(upTo: context.maxUploadSize)
        guard bytes.readableBytes > 0 else { return ReasonBody(reason: nil) }
        do {
            return try JSONDecoder().decode(ReasonBody.self, from: Data(bytes.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "the body must be JSON like {\"reason\": \"why\"} (or empty)")
        }
    }

    /// Turns the curator's failures into their HTTP statuses (404, 409, 400).
    @discardableResult
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as MemoryCurator.Failure {
            throw failure.httpError
        }
    }

    /// ISO 8601 dates and sorted keys, so clients and diffs see stable, readable JSON.
    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
