import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResyncCore

/// Counts API requests, applies the active faults, then checks credentials, and turns unknown paths and
/// unsupported methods into HWA-style JSON errors.
struct SimulatorAPIMiddleware: RouterMiddleware {
    typealias Context = SimulatorContext
    let simulator: HWASimulator

    func handle(
        _ request: Request, context: SimulatorContext, next: (Request, SimulatorContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/twsd/") else { return try await next(request, context) }
        var context = context
        switch await simulator.admit(path: path) {
        case .hang(let seconds, let delay):
            try await pause(delay)
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return SimulatorResponses.error(.gatewayTimeout, "HWASIM504E The engine did not answer in time.")
        case .fail(let status, let delay):
            try await pause(delay)
            return SimulatorResponses.error(
                HTTPResponse.Status(code: status), "HWASIM\(status)E The engine is temporarily unavailable (simulated)."
            )
        case .rateLimit(let retryAfter, let delay):
            try await pause(delay)
            var response = SimulatorResponses.error(.tooManyRequests, "HWASIM429E Too many requests; retry later.")
            response.headers[.retryAfter] = String(retryAfter)
            return response
        case .unauthorized(let delay):
            try await pause(delay)
            return SimulatorResponses.unauthorized()
        case .proceed(let delay, let truncate):
            try await pause(delay)
            context.truncateBody = truncate
        }
        guard authorized(request) else { return SimulatorResponses.unauthorized() }
        guard request.method == .get else {
            return SimulatorResponses.error(
                .methodNotAllowed, "HWASIM405E The simulator is read-only: \(request.method) is not served.")
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return SimulatorResponses.error(.notFound, "HWASIM404E No resource at \(path).")
        }
    }

    private func pause(_ milliseconds: Int) async throws {
        if milliseconds > 0 { try await Task.sleep(for: .milliseconds(milliseconds)) }
    }

    func authorized(_ request: Request) -> Bool {
        let credentials = simulator.credentials
        if credentials.isOpen { return true }
        guard let header = request.headers[.authorization] else { return false }
        if header.hasPrefix("Bearer ") {
            return credentials.bearerTokens.contains(String(header.dropFirst("Bearer ".count)))
        }
        guard header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst("Basic ".count))),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return false }
        let user = String(pair[..<colon])
        let password = String(pair[pair.index(after: colon)...])
        return credentials.basic[user] == password
    }
}

enum SimulatorResponses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, truncate: Bool = false) -> Response {
        var data = value.encoded()
        if truncate { data = data.prefix(max(1, data.count / 2)) }
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, exception: String? = nil) -> Response {
        let name = exception ?? "com.hcl.wa.simulator.SimulatedException"
        return json(WireRendering.error(name, [message]), status: status)
    }

    static func unauthorized() -> Response {
        var response = error(
            .unauthorized, "HWASIM401E Authentication failed: wrong user, password or API key.",
            exception: "com.hcl.wa.simulator.NotAuthorizedException")
        response.headers[.wwwAuthenticate] = "Basic realm=\"twsd\""
        return response
    }
}
