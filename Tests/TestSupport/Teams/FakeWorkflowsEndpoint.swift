import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A local stand-in for a Teams Workflows trigger URL: records every POSTed body and answers with scripted
/// statuses (202 once the script is used up), so the Workflows client is tested over real HTTP.
public final class FakeWorkflowsEndpoint: Sendable {
    /// The path of the fake trigger; the query mimics the real URL's `sig` credential.
    public static let path = "/workflows/abc/triggers/manual/paths/invoke"

    public let recorder = Recorder()

    public init() {}

    public actor Recorder {
        public private(set) var bodies: [String] = []
        public private(set) var attempts = 0
        private var scripted: [(status: Int, retryAfter: String?)] = []

        /// The next requests get these statuses (with `Retry-After` when given), in order.
        public func script(_ responses: [(status: Int, retryAfter: String?)]) {
            scripted = responses
        }

        func record(_ body: String) -> (status: Int, retryAfter: String?) {
            attempts += 1
            guard scripted.isEmpty else { return scripted.removeFirst() }
            bodies.append(body)
            return (202, nil)
        }
    }

    /// The trigger URL on `port`.
    public static func url(port: Int) -> String {
        "http://127.0.0.1:\(port)\(path)?api-version=1&sig=fake-signature"
    }

    /// Waits until `count` bodies were accepted or `timeout` passed; returns what arrived.
    public func waitForBodies(count: Int, timeout: Duration = .seconds(10)) async -> [String] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            let bodies = await recorder.bodies
            if bodies.count >= count { return bodies }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await recorder.bodies
    }

    public func application(logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let recorder = self.recorder
        router.post(RouterPath(stringLiteral: Self.path)) { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let reply = await recorder.record(String(buffer: body))
            var headers = HTTPFields()
            if let retryAfter = reply.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: reply.status), headers: headers)
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }
}
