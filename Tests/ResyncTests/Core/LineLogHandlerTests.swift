import Foundation
import Logging
import Synchronization
import Testing

@testable import ResyncCore

@Suite("Log lines")
struct LineLogHandlerTests {
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    private func logger(level: Logger.Level, provider: Logger.MetadataProvider? = nil) -> (Logger, Lines) {
        let lines = Lines()
        let logger = Logger(label: "resync.test") { label in
            LineLogHandler(label: label, level: level, metadataProvider: provider, write: lines.append)
        }
        return (logger, lines)
    }

    @Test func writesOneLineWithSortedMetadataSourceAndMessage() throws {
        var (logger, lines) = logger(level: .info)
        logger[metadataKey: "request_id"] = "r-1"
        logger[metadataKey: "channel"] = "C1"
        logger.warning("reply failed", metadata: ["request_id": "r-2", "attempt": "3"], source: "ChatPlatforms")
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(
            line.hasSuffix(" warning resync.test: attempt=3 channel=C1 request_id=r-2 [ChatPlatforms] reply failed\n"))
        let stamp = try #require(line.split(separator: " ").first)
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(stamp)")
    }

    @Test func messagesBelowTheLevelAreNotWritten() {
        let (logger, lines) = logger(level: .warning)
        logger.info("not shown")
        logger.debug("not shown either")
        logger.error("shown")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("shown\n") == true)
    }

    @Test func providerMetadataAndErrorsAreIncluded() throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let provider = Logger.MetadataProvider { ["trace": "t-9"] }
        let (logger, lines) = logger(level: .info, provider: provider)
        logger.error("send failed", error: Refused())
        let line = try #require(lines.all.first)
        #expect(line.contains(" error=connection refused trace=t-9 [ResyncTests] send failed\n"), "\(line)")
    }

    @Test func timestampIsUTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_796_650_823.125)
        #expect(LineLogHandler.timestamp(date) == "2026-12-07T13:40:23.125Z")
    }
}
