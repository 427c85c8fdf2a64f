import ResyncCore

/// Answers "is this job still in the plan?" once per job per run. When HWA cannot be asked, a job is
/// never called missing: staleness must not be inferred from an outage.
struct KnownJobsCache {
    let scheduler: (any SchedulerAPI)?
    var answers: [String: Bool] = [:]

    init(scheduler: (any SchedulerAPI)?) {
        self.scheduler = scheduler
    }

    mutating func isMissing(_ job: String) async -> Bool {
        let key = job.uppercased()
        if let known = answers[key] { return known }
        guard let scheduler else { return false }
        let missing: Bool
        do {
            missing = try await scheduler.jobs(matching: JobFilter(name: job, limit: 1)).isEmpty
        } catch {
            missing = false
        }
        answers[key] = missing
        return missing
    }
}
