import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResyncCore

/// The V2 read paths the simulator serves, plus `/__simulator/*` admin endpoints (faults, request counters).
public enum SimulatorRouter {
    public static func build(_ simulator: HWASimulator) -> Router<SimulatorContext> {
        let router = Router(context: SimulatorContext.self)
        router.addMiddleware { SimulatorAPIMiddleware(simulator: simulator) }
        let api = router.group("/twsd/api/v2")
        api.get("engine/info") { _, _ in
            let plan = await simulator.plan()
            return SimulatorResponses.json(WireRendering.engineInfo(plan.scenario.engine))
        }
        api.get("plan/job") { request, context in
            let plan = await simulator.plan()
            let objects = plan.jobs.filter { PlanFilter.matchesJob(request.uri.queryParameters["plan_filter"], $0) }
                .map { WireRendering.job($0, plan: plan) }
            return await Listing.respond(objects, request: request, context: context, simulator: simulator)
        }
        api.get("plan/job/count") { request, _ in
            try await countJobs(request, simulator: simulator)
        }
        api.get("plan/job/run/{run_id}/joblog") { request, context in
            try await jobLog(request, context: context, simulator: simulator)
        }
        api.get("plan/job/{job_id}") { _, context in
            let id = try context.parameters.require("job_id")
            let plan = await simulator.plan()
            guard let job = plan.jobs.first(where: { $0.id == id }) else {
                return SimulatorResponses.error(.notFound, "HWASIM404E No job with id \(id) in the current plan.")
            }
            return SimulatorResponses.json(WireRendering.job(job, plan: plan), truncate: context.truncateBody)
        }
        api.get("plan/jobstream") { request, context in
            let plan = await simulator.plan()
            let filter = request.uri.queryParameters["plan_filter"]
            let objects = plan.scenario.jobStreams.filter { PlanFilter.matchesStream(filter, $0) }
                .map { WireRendering.jobStream($0, plan: plan) }
            return await Listing.respond(objects, request: request, context: context, simulator: simulator)
        }
        api.get("plan/workstation") { request, context in
            let plan = await simulator.plan()
            let filter = request.uri.queryParameters["plan_filter"]
            let objects = plan.scenario.workstations.filter { PlanFilter.matches(filter.map(String.init), $0.name) }
                .map { WireRendering.workstation($0, plan: plan) }
            return await Listing.respond(objects, request: request, context: context, simulator: simulator)
        }
        addAdminRoutes(router, simulator: simulator)
        return router
    }

    static func countJobs(_ request: Request, simulator: HWASimulator) async throws -> Response {
        guard let filter = request.uri.queryParameters["plan_filter"] else {
            return SimulatorResponses.error(.badRequest, "HWASIM400E The plan_filter parameter is required.")
        }
        let plan = await simulator.plan()
        let jobs = plan.jobs.filter { PlanFilter.matchesJob(filter, $0) }
        var grouped: [String: JSONValue] = [:]
        switch request.uri.queryParameters["grouping_filters"].map(String.init) {
        case "status":
            for (status, group) in Dictionary(grouping: jobs, by: \.commonStatus) {
                grouped[status] = .int(group.count)
            }
        case "workstation":
            for (name, group) in Dictionary(grouping: jobs, by: \.workstation) {
                grouped["/" + name] = .int(group.count)
            }
        default:
            break
        }
        return SimulatorResponses.json(["count": .int(jobs.count), "groupedCount": .object(grouped)])
    }

    static func jobLog(_ request: Request, context: SimulatorContext, simulator: HWASimulator) async throws -> Response
    {
        let runID = try context.parameters.require("run_id")
        let plan = await simulator.plan()
        guard let run = plan.jobs.lazy.flatMap(\.runs).first(where: { $0.id == runID }) else {
            return SimulatorResponses.error(.notFound, "HWASIM404E No job run instance with id \(runID).")
        }
        let query = request.uri.queryParameters
        guard let from = Int(query["from_line"].map(String.init) ?? "1"),
            let to = Int(query["to_line"].map(String.init) ?? "\(Int.max)"), from >= 1, to >= from - 1
        else {
            return SimulatorResponses.error(.badRequest, "HWASIM400E from_line and to_line must be line numbers.")
        }
        let lines = run.log
        let slice = from > lines.count ? [] : Array(lines[(from - 1)..<min(lines.count, to)])
        return SimulatorResponses.text(slice.map { $0 + "\n" }.joined())
    }

    static func addAdminRoutes(_ router: Router<SimulatorContext>, simulator: HWASimulator) {
        let admin = router.group("/__simulator")
        admin.get("faults") { _, _ in
            SimulatorResponses.json(
                try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(await simulator.currentFaults())))
        }
        admin.put("faults") { request, context in
            let faults = try await request.decode(as: SimulatorFaults.self, context: context)
            await simulator.setFaults(faults)
            return SimulatorResponses.json(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(faults)))
        }
        admin.get("stats") { _, _ in
            let byPath = await simulator.requestCounts().mapValues { JSONValue.int($0) }
            return SimulatorResponses.json([
                "requests": .int(await simulator.requestCount()), "byPath": .object(byPath),
            ])
        }
        admin.post("stats/reset") { _, _ in
            await simulator.resetRequestCount()
            return SimulatorResponses.json(["requests": 0])
        }
    }
}

/// `limit`/`offset` paging with `count` (unless `Include-Count: false`), and `next`/`previous` links.
enum Listing {
    static func respond(
        _ objects: [JSONValue], request: Request, context: SimulatorContext, simulator: HWASimulator
    ) async -> Response {
        let query = request.uri.queryParameters
        var selected = objects
        if let text = query["oql"].map(String.init), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let oql = try OQLQuery(text)
                selected = oql.sorted(selected.filter(oql.matches))
            } catch {
                return SimulatorResponses.error(
                    .badRequest, "\(error)", exception: "com.hcl.wa.oql.OQLFilterSyntaxException")
            }
        }
        guard let limit = Int(query["limit"].map(String.init) ?? "10000"), limit >= 0,
            let offset = Int(query["offset"].map(String.init) ?? "0"), offset >= 0
        else {
            return SimulatorResponses.error(.badRequest, "HWASIM400E limit and offset must be non-negative integers.")
        }
        let page = offset >= selected.count ? [] : Array(selected[offset..<min(selected.count, offset + limit)])
        var body: [String: JSONValue] = ["results": .array(page)]
        let includeCount = request.headers[HTTPField.Name("Include-Count")!]?.lowercased() != "false"
        if includeCount { body["count"] = .int(selected.count) }
        let base = await simulator.baseURL()
        if offset + page.count < selected.count, limit > 0 {
            body["next"] = .string(link(base: base, request: request, offset: offset + limit, limit: limit))
        }
        if offset > 0 {
            body["previous"] = .string(link(base: base, request: request, offset: max(0, offset - limit), limit: limit))
        }
        return SimulatorResponses.json(.object(body), truncate: context.truncateBody)
    }

    static func link(base: String, request: Request, offset: Int, limit: Int) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        var items = request.uri.queryParameters.filter { $0.key != "offset" && $0.key != "limit" }.map {
            "\($0.key)=\(String($0.value).addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        items += ["limit=\(limit)", "offset=\(offset)"]
        let path =
            request.uri.path.hasPrefix("/twsd") ? String(request.uri.path.dropFirst("/twsd".count)) : request.uri.path
        return base + path + "?" + items.joined(separator: "&")
    }
}

/// conman-like `plan_filter`: `[WS#]STREAM.JOB`, `[WS#]STREAM`, `WS`, each part a pattern with `@`;
/// folder prefixes (`/@/`) are accepted and ignored.
enum PlanFilter {
    static func matches(_ pattern: String?, _ value: String) -> Bool {
        guard let pattern, !pattern.isEmpty else { return true }
        let leaf = pattern.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? pattern
        return OQLPattern.matches(value, pattern: leaf)
    }

    static func matchesJob(_ filter: Substring?, _ job: SimulatorPlan.Job) -> Bool {
        guard let filter = filter.map(String.init), !filter.isEmpty else { return true }
        var rest = filter
        if let hash = rest.firstIndex(of: "#") {
            guard matches(String(rest[..<hash]), job.jobStreamWorkstation) else { return false }
            rest = String(rest[rest.index(after: hash)...])
        }
        if let dot = rest.lastIndex(of: ".") {
            return matches(String(rest[..<dot]), job.jobStream)
                && matches(String(rest[rest.index(after: dot)...]), job.name)
        }
        return matches(rest, job.name)
    }

    static func matchesStream(_ filter: Substring?, _ stream: SimulatorScenario.JobStream) -> Bool {
        guard let filter = filter.map(String.init), !filter.isEmpty else { return true }
        if let hash = filter.firstIndex(of: "#") {
            return matches(String(filter[..<hash]), stream.workstation)
                && matches(String(filter[filter.index(after: hash)...]), stream.name)
        }
        return matches(filter, stream.name)
    }
}
