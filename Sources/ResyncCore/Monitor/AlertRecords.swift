import Foundation

/// Identifies one failure: a job instance of the plan and the run that failed. The same run is alerted
/// once; a rerun that fails again is a different run, hence a new alert.
public struct FailureKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var jobID: String
    public var runID: String

    public init(jobID: String, runID: String) {
        self.jobID = jobID
        self.runID = runID
    }

    /// The key of `job`'s current (last) run; a failed job without runs is keyed by its job number or status.
    public init(failedJob job: Job) {
        let runID: String
        if let run = job.lastRun {
            runID = run.id.isEmpty ? "job-number:\(run.jobNumber ?? 0)" : run.id
        } else {
            runID = "status:\(job.internalStatus?.rawValue ?? job.commonStatus.rawValue)"
        }
        self.init(jobID: job.id, runID: runID)
    }

    public var description: String { "\(jobID)/\(runID)" }
}

/// Where an alert stands.
public enum AlertStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Recorded, not yet queued for posting (or queuing failed and will be retried).
    case pending
    /// Queued for every destination; waiting for the job to recover.
    case posted
    /// Matched a mute pattern or maintenance window: recorded for the dashboard, never posted.
    case muted
    /// Had nowhere to go (no route matched and no default ops channel is configured): recorded, never posted
    /// and not followed for a recovery.
    case unrouted
    /// The job's rerun succeeded and the recovery reply was queued.
    case recovered
    /// The job failed again (a newer run has its own alert).
    case superseded
    /// No longer followed: the job left the plan, or the follow-up window ended.
    case closed
    /// Queuing failed repeatedly; given up (see `lastError`).
    case failed
}

/// One failure as the monitor recorded it.
public struct AlertRecord: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var key: FailureKey
    /// The job as the poll saw it (so a retry after a crash can compose the same alert).
    public var job: Job
    /// When the failed run ended (HWA's time), when known.
    public var failedAt: Date?
    public var detectedAt: Date
    /// Name of the routing rule that chose the destinations (`default` when none matched).
    public var route: String
    public var destinations: [AlertDestination]
    public var status: AlertStatus
    /// Why a muted or unrouted alert was not posted (`mute: TEST_*`, `maintenance: sunday patching`,
    /// `no destination: …`).
    public var quietReason: String?
    /// The storm digest whose thread this alert is posted in.
    public var digestID: String?
    public var attempts: Int
    public var lastError: String?
    public var postedAt: Date?
    public var recovery: AlertRecovery?
    /// The messages queued for this alert, one per destination.
    public var messages: [AlertMessageRef]

    public init(
        id: String = UUID().uuidString, key: FailureKey, job: Job, failedAt: Date?, detectedAt: Date, route: String,
        destinations: [AlertDestination], status: AlertStatus, quietReason: String? = nil, digestID: String? = nil,
        attempts: Int = 0, lastError: String? = nil, postedAt: Date? = nil, recovery: AlertRecovery? = nil,
        messages: [AlertMessageRef] = []
    ) {
        self.id = id
        self.key = key
        self.job = job
        self.failedAt = failedAt
        self.detectedAt = detectedAt
        self.route = route
        self.destinations = destinations
        self.status = status
        self.quietReason = quietReason
        self.digestID = digestID
        self.attempts = attempts
        self.lastError = lastError
        self.postedAt = postedAt
        self.recovery = recovery
        self.messages = messages
    }
}

/// How a failed job recovered.
public struct AlertRecovery: Hashable, Sendable, Codable {
    /// When the successful run ended (or when the monitor saw it, when HWA gave no end time).
    public var at: Date
    public var returnCode: Int?
    /// Which rerun succeeded (1 = the first rerun); nil when HWA shows no rerun.
    public var rerun: Int?

    public init(at: Date, returnCode: Int?, rerun: Int?) {
        self.at = at
        self.returnCode = returnCode
        self.rerun = rerun
    }
}

/// One storm digest: a single post standing for many failures, which follow in its thread.
public struct DigestRecord: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Hashable, Sendable, Codable { case pending, posted, failed }

    public var id: String
    public var route: String
    public var destinations: [AlertDestination]
    /// The digest line as posted ("23 jobs failed in stream NIGHTLY since 03:10 — details in thread").
    public var text: String
    public var jobCount: Int
    public var status: Status
    public var attempts: Int
    public var createdAt: Date
    public var postedAt: Date?
    public var messages: [AlertMessageRef]

    public init(
        id: String = UUID().uuidString, route: String, destinations: [AlertDestination], text: String, jobCount: Int,
        status: Status = .pending, attempts: Int = 0, createdAt: Date, postedAt: Date? = nil,
        messages: [AlertMessageRef] = []
    ) {
        self.id = id
        self.route = route
        self.destinations = destinations
        self.text = text
        self.jobCount = jobCount
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.postedAt = postedAt
        self.messages = messages
    }
}

/// An operator's reply in an alert thread, kept until the auditor decides whether it is a known solution.
public struct CandidateSolution: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var alertID: String?
    public var digestID: String?
    public var jobName: String?
    /// The failure it answers (`ABEND RC=12`).
    public var errorSignature: String?
    public var author: String
    public var text: String
    public var conversation: ConversationRef
    public var receivedAt: Date

    public init(
        id: String = UUID().uuidString, alertID: String?, digestID: String?, jobName: String?, errorSignature: String?,
        author: String, text: String, conversation: ConversationRef, receivedAt: Date
    ) {
        self.id = id
        self.alertID = alertID
        self.digestID = digestID
        self.jobName = jobName
        self.errorSignature = errorSignature
        self.author = author
        self.text = text
        self.conversation = conversation
        self.receivedAt = receivedAt
    }
}

/// Which record started a thread.
public enum AlertThreadOwner: Hashable, Sendable {
    case alert(AlertRecord)
    case digest(DigestRecord)
}

/// The monitor's durable state, shared by every replica: alerts keyed by failure, digests, the messages
/// queued for them, candidate solutions and the poll watermark.
public protocol AlertStateStore: Sendable {
    /// Which of `keys` already have an alert.
    func knownKeys(_ keys: [FailureKey]) async throws -> Set<FailureKey>
    /// Records digests and alerts in one transaction. An alert whose key is already recorded is skipped;
    /// a digest left without alerts is dropped. Older posted or muted alerts of the same job become
    /// `superseded`. Returns the ids of the alerts inserted.
    func record(alerts: [AlertRecord], digests: [DigestRecord]) async throws -> Set<String>
    /// Digests not yet queued, oldest first.
    func pendingDigests(limit: Int) async throws -> [DigestRecord]
    /// Alerts not yet queued, oldest first.
    func pendingAlerts(limit: Int) async throws -> [AlertRecord]
    func digest(id: String) async throws -> DigestRecord?
    func alert(id: String) async throws -> AlertRecord?
    /// Stores the queued messages and marks each alert `posted`, in one transaction.
    func markPosted(_ alerts: [PostedAlert], at: Date) async throws
    func markDigestPosted(digestID: String, messages: [AlertMessageRef], at: Date) async throws
    /// Marks pending alerts `unrouted`, with the reason, instead of posting them.
    func markUnrouted(alertIDs: [String], reason: String) async throws
    /// Counts a failed attempt to queue; after `maxAttempts` the alert (or digest) becomes `failed`.
    func recordFailedAttempt(alertID: String?, digestID: String?, error: String, maxAttempts: Int) async throws
    /// Posted alerts waiting for their job to recover, least recently checked first.
    func openAlerts(limit: Int) async throws -> [AlertRecord]
    /// Notes that the jobs of these alerts were looked up, so the next look-ups start with the others.
    func markChecked(alertIDs: [String], at: Date) async throws
    /// Stores the recovery and its reply messages; the alert becomes `recovered`.
    func markRecovered(alertID: String, recovery: AlertRecovery, replies: [AlertMessageRef]) async throws
    /// Stops following alerts (job left the plan, follow-up window over).
    func close(alertIDs: [String], reason: String) async throws
    /// Alerts recorded for `route` at or after `since` (posted or pending), for the storm window.
    func alertCount(route: String, since: Date) async throws -> Int
    /// The newest digest of `route` created at or after `since`: a storm still going on, whose thread takes
    /// the route's new failures.
    func recentDigest(route: String, since: Date) async throws -> DigestRecord?
    /// The most recent alerts, muted ones included (dashboard).
    func recentAlerts(limit: Int) async throws -> [AlertRecord]
    /// The alert or digest whose message has `handle`, when it is one of the monitor's.
    func threadOwner(handle: String) async throws -> AlertThreadOwner?
    func addCandidateSolution(_ candidate: CandidateSolution) async throws
    /// Candidate solutions, newest first; for one job when `jobName` is set.
    func candidateSolutions(jobName: String?, limit: Int) async throws -> [CandidateSolution]
    /// The start of the last completed poll, so a restarted monitor catches up from there.
    func watermark() async throws -> Date?
    func setWatermark(_ date: Date) async throws
}

/// An alert whose messages were queued, with their references.
public struct PostedAlert: Hashable, Sendable {
    public var alertID: String
    public var messages: [AlertMessageRef]

    public init(alertID: String, messages: [AlertMessageRef]) {
        self.alertID = alertID
        self.messages = messages
    }
}
