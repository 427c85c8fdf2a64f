import Foundation
import ResyncCore

extension Agent {
    /// Who owns / how to fix: answered from the knowledge base and memory only.
    func knowledgeOnly(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        let (_, team) = await Fanout.run(
            deadline: fanoutDeadline, live: nil,
            knowledge: { await self.knowledge.lookup(self.knowledgeQuery(parsed, includeText: true)) })
        var builder = makeBuilder(question, parsed)
        builder.apply(team)
        let subject = parsed.jobName ?? parsed.jobStream ?? parsed.errorCode
        let found = (team?.shown.count ?? 0) + (team?.solutions.count ?? 0)
        builder.answer.headline = builder.phrases.knowledgeHeadline(subject, found: found)
        if let procedure = team?.guidance?.procedure {
            builder.answer.nextStep = procedure
        }
        return builder.answer
    }

    /// A request to change HWA: declined, with no tool call at all.
    func declined(_ question: String, _ parsed: ParsedQuestion) -> Answer {
        var builder = makeBuilder(question, parsed)
        builder.answer.headline = builder.phrases.declinedHeadline
        builder.answer.body = builder.phrases.declined
        builder.answer.notices = [.declinedWrite]
        if let job = parsed.jobName {
            builder.answer.nextStep = builder.phrases.pick(
                "Para ver o estado atual: status \(job)", "To see its current state: status \(job)")
        }
        return builder.answer
    }

    /// `learn …` reaches the agent only when the chat core could not learn it in a thread: explain how.
    func learnOutsideThread(_ question: String, _ parsed: ParsedQuestion) -> Answer {
        var builder = makeBuilder(question, parsed)
        builder.answer.headline = builder.phrases.learnOutsideThreadHeadline
        builder.answer.body = builder.phrases.learnOutsideThread
        return builder.answer
    }

    /// Help with examples; for a question that was not understood, says so first.
    func help(_ question: String, _ parsed: ParsedQuestion) -> Answer {
        var builder = makeBuilder(question, parsed)
        let understood = parsed.intent == .help
        builder.answer.headline = understood ? builder.phrases.helpHeadline : builder.phrases.notUnderstoodHeadline
        builder.answer.body = builder.phrases.helpBody
        if !understood { builder.answer.notices = [.notUnderstood] }
        return builder.answer
    }
}
