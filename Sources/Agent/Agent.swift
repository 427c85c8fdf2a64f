import Foundation
import Logging
import Metrics
import ResyncCore

/// The agent: understands a question, reads HWA and the team's knowledge concurrently under one
/// deadline, and composes one answer. Read-only by construction: it holds only read ports.
public struct Agent: QuestionAnswering {
    let parser: QuestionParser
    /// Replaced by scoped copies for a conversation that may not see everything (see `scoped(to:)`).
    var scheduler: SchedulerTools
    var knowledge: KnowledgeTools
    let time: any TimeSource
    let llm: (any LLMClient)?
    let configuration: AgentConfiguration
    let logger: Logger
    let lastGood = LastGoodReads()

    public init(
        scheduler: any SchedulerAPI, knowledge: any KnowledgeStore, memories: any MemoryStore,
        llm: (any LLMClient)? = nil, configuration: AgentConfiguration = AgentConfiguration(),
        time: any TimeSource = SystemTimeSource(), logger: Logger = Logger(label: "resync.agent")
    ) {
        self.parser = QuestionParser(timeZone: configuration.timeZone, defaultLanguage: configuration.defaultLanguage)
        self.scheduler = SchedulerTools(scheduler: scheduler, time: time)
        self.knowledge = KnowledgeTools(knowledge: knowledge, memories: memories)
        self.time = time
        self.llm = llm
        self.configuration = configuration
        self.logger = logger
    }

    public func answer(_ question: String, context: QuestionContext) async -> Answer {
        let started = ContinuousClock.now
        let text = String(question.prefix(configuration.maxQuestionLength))
        let parsed = parser.parse(text, context: context, now: time.now())
        // An unaddressed message the chat core will not answer is worth no LLM call.
        let useLLM =
            llm != nil && configuration.model != nil && ![.writeRequest, .help, .learn].contains(parsed.intent)
            && (context.addressed || parsed.intent.answersUnaddressed)
        let (agent, scopedPlan) = scoped(to: context.access)
        var answer =
            useLLM
            ? await agent.answerWithLLM(text, parsed: parsed)
            : await agent.answerDeterministically(text, parsed: parsed)
        if scopedPlan?.leftSomethingOut == true, !answer.notices.contains(.accessDenied) {
            answer.notices.append(.accessDenied)
        }
        let elapsed = ContinuousClock.now - started
        answer.elapsedMilliseconds = elapsed.inMilliseconds
        Counter(
            label: "resync_agent_answers_total",
            dimensions: [("intent", parsed.intent.rawValue), ("mode", useLLM ? "llm" : "deterministic")]
        ).increment()
        Metrics.Timer(label: "resync_agent_answer_seconds", dimensions: [("intent", parsed.intent.rawValue)])
            .recordNanoseconds(
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        logger.info(
            "answered",
            metadata: [
                "intent": "\(parsed.intent.rawValue)", "language": "\(parsed.language.rawValue)",
                "notices": "\(answer.notices.count)", "ms": "\(Int(answer.elapsedMilliseconds ?? 0))",
            ])
        return answer
    }

    /// This agent reading only what `scope` lets the conversation see, and the scoped plan (to tell whether it
    /// left anything out); itself when the scope is unrestricted.
    func scoped(to scope: AccessScope?) -> (Agent, ScopedScheduler?) {
        guard let scope, !scope.isUnrestricted else { return (self, nil) }
        let plan = ScopedScheduler(base: scheduler.scheduler, scope: scope)
        var agent = self
        agent.scheduler = SchedulerTools(scheduler: plan, time: time)
        agent.knowledge = KnowledgeTools(
            knowledge: ScopedKnowledgeStore(base: knowledge.knowledge, scope: scope), memories: knowledge.memories)
        return (agent, plan)
    }

    /// The answer without any LLM: the plan for the parsed intent.
    func answerDeterministically(_ question: String, parsed: ParsedQuestion) async -> Answer {
        switch parsed.intent {
        case .jobStatus: return await jobStatus(question, parsed)
        case .jobLog: return await jobLog(question, parsed)
        case .whyWaiting: return await whyWaiting(question, parsed)
        case .failedJobs: return await failedJobs(question, parsed)
        case .healthSummary: return await healthSummary(question, parsed)
        case .jobStreamStatus: return await jobStreamStatus(question, parsed)
        case .knowledge: return await knowledgeOnly(question, parsed)
        case .writeRequest: return declined(question, parsed)
        case .learn: return learnOutsideThread(question, parsed)
        case .help, .unknown: return help(question, parsed)
        }
    }

    var fanoutDeadline: Duration {
        let margin = Duration.milliseconds(50)
        return configuration.answerDeadline > margin * 4
            ? configuration.answerDeadline - margin : configuration.answerDeadline
    }

    func makePhrases(_ language: Language) -> Phrases {
        Phrases(language: language, timeZone: configuration.timeZone, defaultWindow: configuration.defaultFailureWindow)
    }

    func makeBuilder(_ question: String, _ parsed: ParsedQuestion) -> AnswerBuilder {
        AnswerBuilder(question: question, parsed: parsed, phrases: makePhrases(parsed.language), now: time.now())
    }

    func knowledgeQuery(_ parsed: ParsedQuestion, includeText: Bool) -> KnowledgeQuery {
        KnowledgeQuery(
            jobName: parsed.jobName.map(JobNamePattern.baseName), jobStream: parsed.jobStream,
            errorCodes: parsed.errorCode.map { [$0] } ?? [], text: includeText ? parsed.text : nil,
            limit: configuration.knowledgeLimit)
    }

    /// Applies a failed scheduler read to the answer, with the last good jobs for `name` if there are any.
    func applySchedulerFailure(_ failure: Fanout.SchedulerFailure, name: String?, to builder: inout AnswerBuilder) async
    {
        var staleJobs: [Job] = []
        if let name { staleJobs = await lastGood.jobs(for: name) ?? [] }
        builder.schedulerUnavailable(
            reason: failure.reason, lastGood: await lastGood.lastGoodTime(), staleJobs: staleJobs,
            limit: configuration.maxListedJobs)
        logger.warning("scheduler unavailable", metadata: ["reason": "\(failure.reason)"])
    }
}
