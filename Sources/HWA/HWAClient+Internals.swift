import Foundation
import Logging
import ResyncCore

extension HWAClient {
    /// Runs `body`, recording the operation's outcome and duration.
    func measured<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let value = try await body()
            HWAMetrics.record(operation: operation, outcome: .success, durationNanoseconds: elapsed(since: start))
            return value
        } catch {
            HWAMetrics.record(
                operation: operation, outcome: HWAMetrics.outcome(of: error), durationNanoseconds: elapsed(since: start)
            )
            throw error
        }
    }

    private func elapsed(since start: ContinuousClock.Instant) -> Int64 {
        let duration = ContinuousClock.now - start
        return Int64(duration.components.seconds) * 1_000_000_000
            + Int64(duration.components.attoseconds / 1_000_000_000)
    }

    func cached<Value: Sendable>(
        _ operation: String, key: String, ttl: Duration, load: @Sendable () async throws -> Value
    ) async throws -> Value {
        guard ttl > .zero else { return try await load() }
        let (value, hit) = try await cache.value(key: key, ttl: ttl, load: load)
        HWAMetrics.cache(operation: operation, hit: hit)
        return value
    }

    /// Follows `limit`/`offset` pages until HWA has no `next`, `limit` items are collected, or `maxPages` is hit.
    /// `next` is read only for its offset: the client never follows a link to another host.
    func paged<Item: Decodable>(
        operation: String, path: String, query: [(String, String)], limit: Int
    ) async throws -> [Item] {
        var items: [Item] = []
        var offset = 0
        let wanted = max(limit, 0)
        for _ in 0..<configuration.maxPages {
            guard items.count < wanted else { break }
            let pageSize = min(configuration.pageSize, wanted - items.count)
            let pageQuery = query + [("limit", "\(pageSize)"), ("offset", "\(offset)")]
            let data = try await transport.get(operation: operation, path: path, query: pageQuery)
            let page = try Self.decode(PaginatedResponse<Item>.self, from: data)
            items.append(contentsOf: page.results)
            guard let next = page.next, !page.results.isEmpty else { return items }
            offset = Self.offset(in: next) ?? (offset + page.results.count)
        }
        if items.count < wanted {
            logger.warning(
                "HWA query truncated at the page bound",
                metadata: ["operation": "\(operation)", "items": "\(items.count)"])
        }
        return Array(items.prefix(wanted))
    }

    static func offset(in link: String) -> Int? {
        URLComponents(string: link)?.queryItems?.first { $0.name == "offset" }?.value.flatMap(Int.init)
    }

    /// Reads the log in windows of lines (`from_line`/`to_line`, 1-based, inclusive) and keeps the last `tail`.
    func fetchLogTail(runID: String, tail: Int) async throws -> JobLog {
        let window = max(tail, 500)
        var kept: [String] = []
        var total = 0
        var from = 1
        var complete = false
        for _ in 0..<configuration.maxPages {
            let data = try await transport.get(
                operation: "job_log", path: "/api/v2/plan/job/run/\(runID)/joblog",
                query: [("from_line", "\(from)"), ("to_line", "\(from + window - 1)")])
            let lines = Self.lines(of: data)
            total += lines.count
            kept = Array((kept + lines).suffix(tail))
            if lines.count < window {
                complete = true
                break
            }
            from += window
        }
        return JobLog(runID: runID, lines: kept, truncated: !complete || total > kept.count)
    }

    static func lines(of data: Data) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw SchedulerError.invalidResponse("expected a JSON \(T.self) (\(data.count) bytes could not be read)")
        }
    }

    /// Plan ids are UUIDs or similar tokens; anything else cannot be a V2 id and is not sent.
    static func checkID(_ id: String, kind: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !id.isEmpty, id.count <= 128, id.unicodeScalars.allSatisfy(allowed.contains), id != ".", id != ".." else {
            throw SchedulerError.notFound("\(kind) id '\(id.prefix(64))' is not a valid HWA plan id")
        }
    }

    /// Client-side check of the status and time conditions (the OQL is a superset): on the job's last run, or
    /// on one of its runs when the filter asks for any run.
    static func matches(_ job: Job, _ filter: JobFilter) -> Bool {
        filter.admitsRuns(of: job)
    }
}
