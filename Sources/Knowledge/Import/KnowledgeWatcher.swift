import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// Imports the knowledge base when started, then polls the path (file sizes and modification times,
/// recursively for a folder) and re-imports once a change has been stable for the debounce period.
/// A failed import is logged and the previous knowledge base stays in service.
public struct KnowledgeWatcher: Service {
    let path: String
    let importer: KnowledgeImporter
    let store: any KnowledgeStore
    let pollInterval: Duration
    let debounce: Duration
    let prepare: @Sendable () async throws -> Void
    let onImport: @Sendable (Result<KnowledgeImportReport, any Error>) async -> Void
    let logger: Logger

    /// - Parameters:
    ///   - prepare: runs once before the first import (e.g. the database migrations).
    ///   - onImport: told about every import attempt (tests, metrics).
    public init(
        path: String, store: any KnowledgeStore, logger: Logger, pollInterval: Duration = .seconds(2),
        debounce: Duration = .seconds(1), prepare: @escaping @Sendable () async throws -> Void = {},
        onImport: @escaping @Sendable (Result<KnowledgeImportReport, any Error>) async -> Void = { _ in }
    ) {
        self.path = path
        self.importer = KnowledgeImporter(logger: logger)
        self.store = store
        self.pollInterval = pollInterval
        self.debounce = debounce
        self.prepare = prepare
        self.onImport = onImport
        self.logger = logger
    }

    public func run() async throws {
        try await prepare()
        var imported = Self.fingerprint(of: path)
        await importUnlessShuttingDown()
        var pending: (fingerprint: Fingerprint, since: ContinuousClock.Instant)?
        let clock = ContinuousClock()
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
            } catch {
                return
            }
            let current = Self.fingerprint(of: path)
            guard current != imported else {
                pending = nil
                continue
            }
            // Wait until the file stops changing: editors and copies write in several steps.
            if let waiting = pending, waiting.fingerprint == current {
                if clock.now - waiting.since >= debounce {
                    imported = current
                    pending = nil
                    await importUnlessShuttingDown()
                }
            } else {
                pending = (current, clock.now)
            }
        }
    }

    /// An import still running when the service is asked to shut down is abandoned (the previous knowledge base
    /// stays): with a slow embeddings endpoint the first import takes tens of seconds, and shutdown waited for it.
    func importUnlessShuttingDown() async {
        await cancelWhenGracefulShutdown { await importOnce() }
    }

    func importOnce() async {
        do {
            let report = try await importer.importKnowledge(from: path, into: store)
            for line in report.lines { logger.info("\(line)") }
            await onImport(.success(report))
        } catch {
            if Task.isCancelled {
                logger.info("knowledge import abandoned: shutting down", metadata: ["path": "\(path)"])
                return
            }
            logger.error(
                "knowledge import failed; the previous knowledge base stays in service",
                metadata: ["path": "\(path)", "error": "\(error)"])
            await onImport(.failure(error))
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
