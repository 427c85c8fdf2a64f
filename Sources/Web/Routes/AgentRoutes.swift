import Agent
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResyncCore

/// `POST /api/ask` body.
struct AskRequest: Decodable {
    var question: String
    var language: String?

    /// Reads the body, naming the field that is wrong instead of the decoder's wording.
    static func decode(_ body: ByteBuffer) throws(AgentRequestError) -> AskRequest {
        do {
            return try JSONDecoder().decode(AskRequest.self, from: Data(body.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) where key.stringValue == CodingKeys.question.stringValue {
            throw .questionMissing
        } catch let DecodingError.valueNotFound(_, context) where context.codingPath.first?.stringValue == "question" {
            throw .questionMissing
        } catch let DecodingError.typeMismatch(_, context) {
            switch context.codingPath.first?.stringValue {
            case "question": throw .questionNotString
            case "language": throw .unknownLanguage
            default: throw .askBodyNotJSON
            }
        } catch {
            throw .askBodyNotJSON
        }
    }
}

extension Router where Context == AppRequestContext {
    /// `POST /api/ask`, and the agent's read-only tools as JSON: `GET /api/jobs/{name}`,
    /// `GET /api/failures?since=3h`, `GET /api/health-summary`.
    /// - Parameter answers: where each answer is remembered, so that `POST /api/feedback` accepts votes on it.
    public func addAgentRoutes(
        answering: any QuestionAnswering, scheduler: any SchedulerAPI, configuration: AgentConfiguration,
        activity: (any BotActivityRecording)? = nil, answers: (any WebFeedbackRecording)? = nil,
        time: any TimeSource = SystemTimeSource()
    ) {
        let tools = SchedulerTools(scheduler: scheduler, time: time)
        let parser = QuestionParser(timeZone: configuration.timeZone, defaultLanguage: configuration.defaultLanguage)
        let maxLength = configuration.maxQuestionLength
        post("/api/ask") { request, context -> Response in
            let ask = try await Self.decodeAsk(request, context: context, maxLength: maxLength)
            let started = ContinuousClock.now
            let answer = await answering.answer(ask.question, context: ask.context)
            // The web chat asks here; so do API clients, counted with it as the web platform.
            await activity?.recordAnswer(
                platform: .web, latencyMilliseconds: (ContinuousClock.now - started).inMilliseconds)
            await Self.remember(answer, for: context, in: answers, at: time.now())
            return try AgentJSON.response(answer)
        }
        get("/api/jobs/{name}") { _, context -> Response in
            let name = try Self.jobName(inPathSegment: context.parameters.require("name"))
            let jobs = try await Self.scheduler { try await tools.findJobs(named: name.uppercased(), limit: 100) }
            guard !jobs.isEmpty else {
                let suggestions = (try? await tools.suggestions(for: name)) ?? []
                let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
                throw HTTPError(.notFound, message: "no job named \(name.uppercased()) in the current plan\(hint)")
            }
            return try AgentJSON.response(JobsReply(name: name.uppercased(), jobs: jobs))
        }
        let failureWindow = FailureWindow(parser: parser, defaultWindow: configuration.defaultFailureWindow)
        get("/api/failures") { request, _ -> Response in
            let window: TimeWindow
            do throws(AgentRequestError) {
                window = try failureWindow.window(request.uri.queryParameters.get("since"), now: time.now())
            } catch {
                throw error.httpError
            }
            let jobs = try await Self.scheduler { try await tools.failures(since: window.start, until: window.end) }
            return try AgentJSON.response(FailuresReply(window: window, jobs: jobs))
        }
        get("/api/health-summary") { _, _ -> Response in
            let since = time.now().addingTimeInterval(-configuration.defaultFailureWindow.inSeconds)
            let summary = try await Self.scheduler { try await tools.healthSummary(failuresSince: since) }
            return try AgentJSON.response(summary)
        }
    }

    static func decodeAsk(_ request: Request, context: Context, maxLength: Int) async throws -> (
        question: String, context: QuestionContext
    ) {
        var request = request
        // Over 1 MiB is the 413 collectBody throws; everything else about the body is a 400 saying what is wrong.
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let ask: AskRequest
        do {
            ask = try AskRequest.decode(body)
        } catch {
            throw error.httpError
        }
        let question = ask.question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else { throw AgentRequestError.questionEmpty.httpError }
        guard question.count <= maxLength else {
            throw AgentRequestError.questionTooLong(maximum: maxLength).httpError
        }
        var questionContext = QuestionContext(conversation: ConversationRef(platform: .web, channel: "api"))
        if let code = ask.language {
            guard let language = Language(code: code) else { throw AgentRequestError.unknownLanguage.httpError }
            questionContext.preferredLanguage = language
        }
        return (question, questionContext)
    }

    /// Remembers the answer for votes on it. Failing to is logged, not fatal: the answer matters more than a vote.
    static func remember(
        _ answer: Answer, for context: Context, in answers: (any WebFeedbackRecording)?, at now: Date
    ) async {
        guard let answers else { return }
        let record = WebAnswerRecord(
            answerID: answer.id, user: context.identity?.user ?? "anonymous", jobName: answer.parsed.jobName, at: now)
        do {
            try await answers.rememberAnswer(record)
        } catch {
            context.logger.warning(
                "answer not remembered; votes on it will be refused",
                metadata: ["answer": "\(answer.id)", "error": "\(String(reflecting: type(of: error)))"])
        }
    }

    /// The job name of `/api/jobs/{name}`. The router hands the segment over still percent-encoded, and the
    /// qualified and folder forms need it decoded: `MASTER%23PAYROLL.PAYROLL_FINAL`, `%2FFINANCE%2FPAYROLL_FINAL`.
    static func jobName(inPathSegment segment: String) throws -> String {
        guard let name = segment.removingPercentEncoding else { throw AgentRequestError.undecodableJobName.httpError }
        guard QuestionParser.isJobName(name) else { throw AgentRequestError.notAJobName(name).httpError }
        return name
    }

    /// Runs a scheduler read, turning its errors into HTTP errors with the scheduler's own message.
    static func scheduler<T: Sendable>(_ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch let error as SchedulerError {
            switch error {
            case .notFound: throw HTTPError(.notFound, message: error.description)
            case .badFilter: throw HTTPError(.badRequest, message: error.description)
            default: throw HTTPError(.serviceUnavailable, message: error.description)
            }
        }
    }
}

struct JobsReply: Encodable {
    var name: String
    var jobs: [Job]
}

struct FailuresReply: Encodable {
    var since: Date
    var until: Date?
    var label: String
    /// Every job with a run that failed in the window, whatever its current state.
    var jobs: [Job]
    /// The same jobs, one entry each: the run that failed in the window and the rerun that recovered it, if any.
    var failures: [JobFailure]
    /// How many of them a later run recovered.
    var recovered: Int

    init(window: TimeWindow, jobs: [Job]) {
        since = window.start
        until = window.end
        label = window.label
        self.jobs = jobs
        failures = jobs.compactMap { JobFailure(job: $0, since: window.start, until: window.end) }
        recovered = failures.filter(\.recovered).count
    }
}

/// JSON with ISO-8601 dates, the format of every agent route.
enum AgentJSON {
    static func response<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
