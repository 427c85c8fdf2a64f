import Foundation
import Knowledge
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Knowledge watcher")
struct KnowledgeWatcherTests {
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
