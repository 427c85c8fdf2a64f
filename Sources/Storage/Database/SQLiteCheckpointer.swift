import GRDB
import Logging
import ServiceLifecycle

/// Copies the write-ahead log back into the database file from a connection of its own, so that the writer
/// never waits for it.
///
/// By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages, on the writer's own
/// connection: that commit then copies the pages into the database file and waits for its fsync, and every
/// write queued behind it (webhook acknowledgements included) waits too. Under a burst of Slack commands one
/// such fsync took 570 ms and the acknowledgement p99 went past a second. A passive checkpoint from another
/// connection holds no writer lock (sqlite.org/wal.html, "Application-Initiated Checkpoints"), so commits go on
/// while it runs.
///
/// The writer's automatic checkpoint is switched off only while this runs, and switched back on when it stops,
/// so a process that never runs it (or stops it) keeps SQLite's default behaviour.
struct SQLiteCheckpointer: Sendable {
    let path: String
    let writer: any DatabaseWriter
    let interval: Duration
    let logger: Logger

    /// SQLite's default `wal_autocheckpoint`, restored on the writer when the checkpointer stops.
    static let defaultAutocheckpointPages = 1000

    /// Checkpoints every `interval` until graceful shutdown or cancellation.
    func run() async throws {
        guard let connection = openConnection() else {
            try? await gracefulShutdown()
            return
        }
        do {
            try await setWriterAutocheckpoint(pages: 0)
        } catch {
            // Cancelled before it started, or the writer failed: SQLite keeps checkpointing in the commit.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await checkpoint(connection)
            }
        }
        // Back to SQLite's default, so the writes made during shutdown are still checkpointed. Shielded from this
        // task's cancellation (a one-shot command ends by cancelling it), and never blocking the cooperative pool.
        await Task {
            try? await setWriterAutocheckpoint(pages: Self.defaultAutocheckpointPages)
            _ = try? await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }.value
    }

    private func openConnection() -> DatabaseQueue? {
        do {
            var configuration = Configuration()
            configuration.label = "resync.checkpoint"
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            // Not fatal: the writer keeps checkpointing as SQLite does by default.
            logger.warning(
                "cannot open the SQLite checkpoint connection; the writer keeps checkpointing itself",
                metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func setWriterAutocheckpoint(pages: Int) async throws {
        try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
        }
    }

    /// One round: the copy and its fsync on the checkpoint connection, then, once the log has grown past
    /// `restartThresholdPages`, a short passive checkpoint on the writer itself. Under a steady stream of writes
    /// the outside checkpoint never catches the last frames, and SQLite only restarts the log from its beginning
    /// when a write finds it wholly copied: without the second step the WAL grew to 675 MB in one 8-second burst.
    /// By then nearly everything is copied and synced, so the writer's share is a few milliseconds (measured
    /// 3–6 ms at about 8,700 pages per round, against 190–570 ms for SQLite's own checkpoint in the commit).
    /// A failed or partial checkpoint is not an error: readers may still use the frames, and the next round
    /// copies them.
    private func checkpoint(_ connection: DatabaseQueue) async {
        do {
            // Off the cooperative pool: the fsync of the database file can take hundreds of milliseconds.
            let (walPages, copiedPages) = try await connection.writeWithoutTransaction { db in
                try db.checkpoint(.passive)
            }
            guard walPages >= Self.restartThresholdPages else { return }
            let (_, copiedByWriter) = try await writer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            logger.trace(
                "SQLite checkpoint",
                metadata: [
                    "wal_pages": "\(walPages)", "copied": "\(copiedPages)", "copied_by_writer": "\(copiedByWriter)",
                ])
        } catch {
            logger.debug("SQLite checkpoint did not run", metadata: ["error": "\(error)"])
        }
    }

    /// Log size (pages) from which the writer completes the checkpoint so the next write restarts the log;
    /// SQLite's own automatic threshold.
    static let restartThresholdPages = defaultAutocheckpointPages
}
