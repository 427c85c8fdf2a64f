import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// Imports the knowledge base when started, then polls the path (file sizes and modification times,
/// recursively for a folder) and re-imports once a change has been stable for the debounce period.
/// A failed import is logged and the previous knowledge base stays in service. An import that left entries
/// without embeddings (a slow endpoint) is repeated every `embeddingRetry` until they all have one.
public struct KnowledgeWatcher: Service {
    let path: String
    let importer: KnowledgeImporter
    let store: any KnowledgeStore
    let pollInterval: Duration
    let debounce: Duration
    let embeddingRetry: Duration
    let prepare: @Sendable () async throws -> Void
    let onImport: @Sendable (Result<KnowledgeImportReport, any Error>) async -> Void
    let logger: Logger

    /// - Parameters:
    ///   - prepare: runs once before the first import (e.g. the database migrations).
    ///   - onImport: told about every import attempt (tests, metrics).
    public init(
        path: String, store: any KnowledgeStore, logger: Logger, pollInterval: Duration = .seconds(2),
        debounce: Duration = .seconds(1), embeddingRetry: Duration = .seconds(60),
        prepare: @escaping @Sendable () async throws -> Void = {},
        onImport: @escaping @Sendable (Result<KnowledgeImportReport, any Error>) async -> Void = { _ in }
    ) {
        self.path = path
        self.importer = KnowledgeImporter(logger: logger)
        self.store = store
        self.pollInterval = pollInterval
        self.debounce = debounce
        self.embeddingRetry = embeddingRetry
        self.prepare = prepare
        self.onImport = onImport
        self.logger = logger
    }

    public func run() async throws {
        try await prepare()
        var imported = Self.fingerprint(of: path)
        let clock = ContinuousClock()
        var retries = 0
        var retryAt = retryTime(after: await importUnlessShuttingDown(), retries: retries, now: clock.now)
        var pending: (fingerprint: Fingerprint, since: ContinuousClock.Instant)?
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
            } catch {
                return
            }
            let current = Self.fingerprint(of: path)
            guard current != imported else {
                pending = nil
                if let due = retryAt, clock.now >= due {
                    retries += 1
                    retryAt = retryTime(after: await importUnlessShuttingDown(), retries: retries, now: clock.now)
                }
                continue
            }
            // Wait until the file stops changing: editors and copies write in several steps.
            if let waiting = pending, waiting.fingerprint == current {
                if clock.now - waiting.since >= debounce {
                    imported = current
                    pending = nil
                    retries = 0
                    retryAt = retryTime(after: await importUnlessShuttingDown(), retries: retries, now: clock.now)
                }
            } else {
                pending = (current, clock.now)
            }
        }
    }

    /// An import still running when the service is asked to shut down is abandoned (the previous knowledge base
    /// stays): with a slow embeddings endpoint the first import takes tens of seconds, and shutdown waited for it.
    @discardableResult
    func importUnlessShuttingDown() async -> KnowledgeImportReport? {
        await cancelWhenGracefulShutdown { await importOnce() }
    }

    /// When to import the unchanged file again: only while entries are waiting for their embeddings, after
    /// `embeddingRetry` doubled for each retry that still left some (at most an hour: an endpoint that stays
    /// down must not have a large workbook re-read every minute).
    func retryTime(after report: KnowledgeImportReport?, retries: Int, now: ContinuousClock.Instant)
        -> ContinuousClock.Instant?
    {
        guard let missing = report?.outcome?.vectorsMissing, missing > 0 else { return nil }
        let delay = min(embeddingRetry * (1 << min(retries, 12)), max(embeddingRetry, .seconds(3_600)))
        logger.info(
            "knowledge import will be repeated for the missing embeddings",
            metadata: ["missing": "\(missing)", "in": "\(delay)"])
        return now + delay
    }

    func importOnce() async -> KnowledgeImportReport? {
        do {
            let report = try await importer.importKnowledge(from: path, into: store)
            for line in report.lines { logger.info("\(line)") }
            await onImport(.success(report))
            return report
        } catch {
            if Task.isCancelled {
                logger.info("knowledge import abandoned: shutting down", metadata: ["path": "\(path)"])
                return nil
            }
            logger.error(
                "knowledge import failed; the previous knowledge base stays in service",
                metadata: ["path": "\(path)", "error": "\(error)"])
            await onImport(.failure(error))
            return nil
        }
    }

    /// Sizes and modification times of the knowledge files under `path`.
    struct Fingerprint: Equatable, Sendable {
        var files: [String: FileStamp]
    }

    struct FileStamp: Equatable, Sendable {
        var size: Int
        var modified: Date
    }

    static func fingerprint(of path: String) -> Fingerprint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return Fingerprint(files: [:])
        }
        let root = URL(fileURLWithPath: path)
        let urls = isDirectory.boolValue ? KnowledgeImporter.knowledgeFiles(under: root) : [root]
        var files: [String: FileStamp] = [:]
        for url in urls {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { continue }
            files[url.path] = FileStamp(
                size: (attributes[.size] as? NSNumber)?.intValue ?? -1,
                modified: attributes[.modificationDate] as? Date ?? .distantPast)
        }
        return Fingerprint(files: files)
    }
}
