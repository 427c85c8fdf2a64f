import Foundation
import NIOCore
import TestSupport
import Testing

/// Thousands of clients that send headers one line at a time and never finish (slowloris), and bodies larger
/// than the 1 MiB limit, against the real `resync serve`: it keeps answering `/healthz` and its memory stays
/// bounded. The figures (RSS, health latency) go to docs/RELIABILITY.md.
@Suite("Reliability: resource bounds of the real process", .serialized)
struct ReliabilityResourceBoundsTests {
    static let slowClients = ReliabilityMode.current.size(smoke: 300, full: 10_000)
    static let holdSeconds = ReliabilityMode.current.size(smoke: 3, full: 20)
    static let hugeBodies = ReliabilityMode.current.size(smoke: 8, full: 64)

    @Test func slowClientsAndHugeBodiesDoNotExhaustTheProcess() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try ProcessHarness(slack: slack)
            defer { harness.removeFolder() }
            let process = try await harness.start(extra: ["LOG_LEVEL": "warning"])
            defer { process.process.terminate() }
            let idleKiB = process.residentKiB ?? 0

            var sockets: [LoopbackSocket] = []
            defer { sockets.forEach { $0.close() } }
            var connectFailures = 0
            for index in 0..<Self.slowClients {
                guard let socket = try? LoopbackSocket(port: process.port) else {
                    connectFailures += 1
                    continue
                }
                _ = socket.send("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-\(index): 1\r\n")
                sockets.append(socket)
            }
            var peakKiB = process.residentKiB ?? 0
            var healthChecks = 0
            var healthFailures = 0
            var slowestHealth: Duration = .zero
            let clock = ContinuousClock()
            for second in 0..<Self.holdSeconds {
                // One more header line per client per second: each request stays "in progress".
                for socket in sockets { _ = socket.send("X-Drip-\(second): 1\r\n") }
                let began = clock.now
                let healthy = await ProcessHarness.healthy(port: process.port, timeout: .seconds(5))
                slowestHealth = max(slowestHealth, clock.now - began)
                healthChecks += 1
                if !healthy { healthFailures += 1 }
                peakKiB = max(peakKiB, process.residentKiB ?? 0)
                try await Task.sleep(for: .seconds(1))
            }
            let withSlowKiB = process.residentKiB ?? 0

            // Bodies over the limit, all at once: declared (Content-Length) and streamed (chunked).
            let statuses = await withTaskGroup(of: String.self) { group in
                for index in 0..<Self.hugeBodies {
                    group.addTask { Self.sendHugeBody(port: process.port, chunked: index % 2 == 1) }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            peakKiB = max(peakKiB, process.residentKiB ?? 0)
            let refused = statuses.filter { $0 == "413" }.count
            let healthyAfter = await ProcessHarness.healthy(port: process.port)
            sockets.forEach { $0.close() }
            sockets.removeAll()
            try await Task.sleep(for: .seconds(1))
            let afterKiB = process.residentKiB ?? 0

            #expect(process.isRunning)
            #expect(connectFailures == 0)
            #expect(healthFailures == 0, "\(healthFailures)/\(healthChecks) health checks failed")
            #expect(healthyAfter)
            #expect(refused == Self.hugeBodies, "statuses: \(statuses)")
            // Generous: the process holds thousands of connections and a few 2 MiB bodies, not gigabytes.
            #expect(peakKiB < 1_536 * 1024, "peak RSS \(peakKiB) KiB")
            ReliabilityResults.record(
                suite: "resource bounds", name: "slow clients + >1 MiB bodies (debug build)",
                count: Self.slowClients + Self.hugeBodies,
                passed: process.isRunning && connectFailures == 0 && healthFailures == 0 && healthyAfter
                    && refused == Self.hugeBodies && peakKiB < 1_536 * 1024,
                figures: "\(Self.slowClients) slow clients held \(Self.holdSeconds) s (\(connectFailures) connect "
                    + "failures); /healthz \(healthChecks - healthFailures)/\(healthChecks) ok, slowest "
                    + "\(slowestHealth.milliseconds) ms; \(refused)/\(Self.hugeBodies) 2 MiB bodies refused 413; RSS idle "
                    + "\(idleKiB / 1024) MiB, with slow clients \(withSlowKiB / 1024) MiB, peak \(peakKiB / 1024) MiB, "
                    + "after \(afterKiB / 1024) MiB")
        }
    }

    /// Sends a 2 MiB body to the Slack events route and returns the status code of the answer ("" if none).
    static func sendHugeBody(port: Int, chunked: Bool) -> String {
        guard let socket = try? LoopbackSocket(port: port) else { return "connect failed" }
        defer { socket.close() }
        let size = 2 << 20
        let head =
            "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(size)\r\n\r\n")
        guard socket.send(head) else { return "closed" }
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        // The server may answer and close before the whole body is sent; that is the point.
        for _ in 0..<(size / piece.count) {
            let sent = chunked ? socket.send(Array("10000\r\n".utf8) + piece + Array("\r\n".utf8)) : socket.send(piece)
            if !sent { break }
        }
        if chunked { _ = socket.send("0\r\n\r\n") }
        let response = socket.receive()
        return response.split(separator: " ").dropFirst().first.map(String.init) ?? ""
    }
}
