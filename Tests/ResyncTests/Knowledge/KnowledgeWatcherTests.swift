import Foundation
import Knowledge
import Logging
import ResyncCore
import ServiceLifecycle
import Storage
import Synchronization
import TestSupport
import Testing

/// A knowledge store whose import takes minutes (as with an embeddings endpoint that never answers).
final class StuckKnowledgeStore: KnowledgeStore {
    let importStarted = Atomic<Bool>(false)

    func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] { [] }

    func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        importStarted.store(true, ordering: .relaxed)
        try await Task.sleep(for: .seconds(120))
        throw KnowledgeImportError.noEntries("unreachable")
    }

    func entry(key: String) async throws -> KnowledgeEntry? { nil }

    func stats() async throws -> KnowledgeStats { KnowledgeStats(entries: 0) }
}

/// A knowledge store whose first imports leave entries without embeddings, as with a slow endpoint.
final class VectorLaggingStore: KnowledgeStore {
    let imports = Atomic<Int>(0)
    let lagging: Int

    init(lagging: Int) { self.lagging = lagging }

    func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] { [] }

    func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        let number = imports.add(1, ordering: .relaxed).newValue
        return KnowledgeReplaceOutcome(
            created: 0, updated: 0, unchanged: entries.count, removed: 0,
            vectorsMissing: number <= lagging ? entries.count : 0)
    }

    func entry(key: String) async throws -> KnowledgeEntry? { nil }

    func stats() async throws -> KnowledgeStats { KnowledgeStats(entries: 0) }
}

@Suite("Knowledge watcher")
struct KnowledgeWatcherTests {
    /// Entries imported without their embeddings get them from a later import of the unchanged file; once every
    /// entry has one, the file is not imported again until it changes.
    @Test func anImportMissingEmbeddingsIsRepeatedUntilNoneIsMissing() async throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("kb.csv")
        try Data("Job;Procedimento\nJOB_A;Primeira versão\n".utf8).write(to: file)
        var logger = Logger(label: "test.watcher")
        logger.logLevel = .critical
        let store = VectorLaggingStore(lagging: 2)
        let watcher = KnowledgeWatcher(
            path: file.path, store: store, logger: logger, pollInterval: .milliseconds(20),
            embeddingRetry: .milliseconds(100))
        let group = ServiceGroup(configuration: .init(services: [watcher], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await eventually { store.imports.load(ordering: .relaxed) == 3 })
            // Ten retry intervals later, still three: nothing was missing after the third.
            try await Task.sleep(for: .seconds(1))
            #expect(store.imports.load(ordering: .relaxed) == 3)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Shutdown waited for a running import: with an embeddings endpoint that did not answer, Ctrl-C took about
    /// 45 s (found by QA). The import is now abandoned and the service stops at once.
    @Test func shutdownDoesNotWaitForARunningImport() async throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("kb.csv")
        try Data("Job;Procedimento\nJOB_A;Primeira versão\n".utf8).write(to: file)
        var logger = Logger(label: "test.watcher")
        logger.logLevel = .critical
        let store = StuckKnowledgeStore()
        let watcher = KnowledgeWatcher(path: file.path, store: store, logger: logger, pollInterval: .milliseconds(20))
        let group = ServiceGroup(configuration: .init(services: [watcher], logger: logger))
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await eventually { store.importStarted.load(ordering: .relaxed) })
            let asked = clock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(clock.now - asked < .seconds(5))
        }
    }

    @Test func importsAtStartReimportsOnChangeAndKeepsTheKBOnFailure() async throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("kb.csv")
        try Data("Job;Procedimento\nJOB_A;Primeira versão\n".utf8).write(to: file)
        try await TestDatabases.withDatabase(.sqlite) { database in
            let logger = Logger(label: "test.watcher")
            let store = SQLKnowledgeStore(database: database, logger: logger)
            let (events, continuation) = AsyncStream.makeStream(of: Result<KnowledgeImportReport, any Error>.self)
            let watcher = KnowledgeWatcher(
                path: file.path, store: store, logger: logger, pollInterval: .milliseconds(20),
                debounce: .milliseconds(60), onImport: { continuation.yield($0) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.run() }
                defer { group.cancelAll() }
                var iterator = events.makeAsyncIterator()

                let first = try #require(await iterator.next()).get()
                #expect(first.outcome?.created == 1)
                #expect(
                    try await store.search(KnowledgeQuery(jobName: "JOB_A")).first?.entry.procedure == "Primeira versão"
                )

                try Data("Job;Procedimento\nJOB_A;Segunda versão, mais longa\n".utf8).write(to: file)
                let second = try #require(await iterator.next()).get()
                #expect(second.outcome?.updated == 1)
                #expect(
                    try await store.search(KnowledgeQuery(jobName: "JOB_A")).first?.entry.procedure
                        == "Segunda versão, mais longa")

                // A header-only file yields no entries: the import fails and the KB stays as it was.
                try Data("Job;Procedimento\n".utf8).write(to: file)
                let third = try #require(await iterator.next())
                #expect(throws: KnowledgeImportError.noEntries(file.path)) { try third.get() }
                #expect(try await store.stats().entries == 1)
            }
            return ()
        }
    }
}
