import Foundation
import ResyncCore

extension Agent {
    /// Jobs with a run that failed in a window (default: the configured failure window), including those a rerun
    /// has since recovered.
    func failedJobs(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        let since =
            parsed.window?.start ?? time.now().addingTimeInterval(-configuration.defaultFailureWindow.inSeconds)
        let until = parsed.window?.end
        let tools = scheduler
        let (live, _) = await Fanout.run(
            deadline: fanoutDeadline,
            live: {
                var facts = LiveFacts()
                facts.jobs = try await tools.failures(since: since, until: until, jobStream: parsed.jobStream)
                await self.lastGood.recordSuccess(at: self.time.now())
                return facts
            },
            knowledge: nil)
        var builder = makeBuilder(question, parsed)
        switch live {
        case .success(let facts):
            builder.setLive(jobs: facts.jobs, freshness: .live(at: time.now()), limit: configuration.maxListedJobs)
            builder.answer.headline = builder.phrases.failures(
                facts.jobs.count, recovered: facts.jobs.filter(\.isRecovered).count, window: parsed.window)
        case .failure(let failure):
            await applySchedulerFailure(failure, name: nil, to: &builder)
        case nil:
            break
        }
        return builder.answer
    }

    /// Engine, workstations, counts by status, recent failures and the streams failing most.
    func healthSummary(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        let since = time.now().addingTimeInterval(-configuration.defaultFailureWindow.inSeconds)
        let tools = scheduler
        let (live, _) = await Fanout.run(
            deadline: fanoutDeadline,
            live: {
                var facts = LiveFacts()
                facts.health = try await tools.healthSummary(failuresSince: since)
                await self.lastGood.recordSuccess(at: self.time.now())
                return facts
            },
            knowledge: nil)
        var builder = makeBuilder(question, parsed)
        switch live {
        case .success(let facts):
            guard var health = facts.health else { break }
            let limit = configuration.maxListedJobs
            health.recentFailures = Array(health.recentFailures.prefix(limit))
            builder.answer.health = health
            builder.answer.liveStatus = LiveStatusSection(freshness: .live(at: time.now()))
            builder.answer.headline = builder.phrases.healthHeadline(health)
            builder.answer.sources.append(
                SourceRef(kind: .scheduler, id: "engine", title: "HWA engine, workstations, counts"))
        case .failure(let failure):
            await applySchedulerFailure(failure, name: nil, to: &builder)
        case nil:
            break
        }
        return builder.answer
    }

    /// A job stream's status and its failing jobs, alongside what the team knows about the stream.
    func jobStreamStatus(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        guard let name = parsed.jobStream else { return help(question, parsed) }
        let (live, team) = await Fanout.run(
            deadline: fanoutDeadline,
            live: { try await self.readStreams(named: name) },
            knowledge: { await self.knowledge.lookup(self.knowledgeQuery(parsed, includeText: false)) })
        var builder = makeBuilder(question, parsed)
        builder.apply(team)
        switch live {
        case .success(let facts):
            describeStreams(facts, name: name, into: &builder)
        case .failure(let failure):
            await applySchedulerFailure(failure, name: nil, to: &builder)
        case nil:
            break
        }
        return builder.answer
    }

    /// The job streams named `name` and their failed jobs.
    func readStreams(named name: String) async throws -> LiveFacts {
        var facts = LiveFacts()
        let (streams, jobs) = try await scheduler.jobStreamStatus(named: name)
        facts.streams = streams
        facts.jobs = jobs.filter(\.isFailed)
        await lastGood.recordSuccess(at: time.now())
        return facts
    }

    /// Live section and headline for "one stream", "several instances" and "no such stream".
    func describeStreams(_ facts: LiveFacts, name: String, into builder: inout AnswerBuilder) {
        builder.setLive(
            jobs: facts.jobs, streams: facts.streams, freshness: .live(at: time.now()),
            limit: configuration.maxListedJobs)
        if facts.streams.isEmpty {
            builder.answer.headline = builder.phrases.unknownStream(name)
        } else if facts.streams.count == 1 {
            builder.answer.headline = builder.phrases.streamHeadline(facts.streams[0])
        } else {
            builder.answer.headline = builder.phrases.pick(
                "\(facts.streams.count) instâncias de \(name)", "\(facts.streams.count) instances of \(name)")
        }
    }
}
