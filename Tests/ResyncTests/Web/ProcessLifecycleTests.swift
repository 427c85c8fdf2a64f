import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// Runs the real `resync` binary: start, serve, and stop cleanly on SIGTERM/SIGINT.
@Suite("resync process", .serialized)
struct ProcessLifecycleTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func exitsZeroSoonAfterSignal(signal: Int32) async throws {
        let port = try freeLoopbackPort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-proc-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = RepositoryPaths.resyncExecutable
        process.arguments = ["serve"]
        process.currentDirectoryURL = RepositoryPaths.root
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "\(port)",
            "DATABASE_URL": "sqlite://\(folder.path)/resync.sqlite", "LOG_LEVEL": "warning",
            "KNOWLEDGE_BASE_PATH": "Config/knowledge_base.xlsx",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        try await waitUntilHealthy(port: port, process: process)
        kill(process.processIdentifier, signal)
        let exited = try await waitForExit(process, within: .seconds(8))
        #expect(exited, "resync did not exit within 8 s of signal \(signal)")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    func waitUntilHealthy(port: Int, process: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                Issue.record("resync exited early with status \(process.terminationStatus)")
                return
            }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("resync did not become healthy within 60 s")
    }

    func waitForExit(_ process: Process, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return !process.isRunning
    }
}
