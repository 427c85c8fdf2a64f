import Foundation
import ResyncCore

/// Renders an `Answer` as an Adaptive Card 1.4 (the version every Teams client renders): headline, status
/// facts per job, diagnosis, owner, links as `Action.OpenUrl` (the only action outgoing webhooks allow),
/// and a plain-text fallback.
public struct AdaptiveCardRenderer: Sendable {
    public static let version = "1.4"
    /// Jobs beyond this are summarised in one line; Teams rejects very large cards (about 28 KB).
    public var maximumJobs: Int

    public init(maximumJobs: Int = 10) { self.maximumJobs = maximumJobs }

    /// `replyContext` is a subtle first line naming the question, for posts that are not threaded under it.
    public func card(for answer: Answer, replyContext: String? = nil) -> TeamsJSON {
        let words = AnswerPresentation(for: answer)
        var body: [TeamsJSON] = replyContext.map { [textBlock($0, isSubtle: true)] } ?? []
        body.append(textBlock(answer.headline, weight: "Bolder", size: "Medium"))
        body += statusElements(answer, words)
        body += healthElements(answer, words)
        if let text = answer.body, !text.isEmpty { body.append(textBlock(text)) }
        body += diagnosisElements(answer.diagnosis, words)
        if let owner = answer.owner {
            body.append(heading(words.ownerTitle))
            var facts = [(words.ownerTitle, owner.owner)]
            if !owner.contacts.isEmpty { facts.append((words.contactsLabel, owner.contacts.joined(separator: ", "))) }
            body.append(factSet(facts))
        }
        if let next = answer.nextStep { body.append(textBlock("**\(words.nextStepLabel):** \(next)")) }
        for notice in answer.notices { body.append(textBlock(words.line(for: notice), isSubtle: true)) }

        var card: [String: TeamsJSON] = [
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": .string(Self.version),
            "body": .array(body),
            "fallbackText": .string(words.plainText(answer)),
        ]
        let actions = answer.links.prefix(5).map { link -> TeamsJSON in
            .object(["type": "Action.OpenUrl", "title": .string(link.title), "url": .string(link.url)])
        }
        if !actions.isEmpty { card["actions"] = .array(Array(actions)) }
        return .object(card)
    }

    /// A card with one line of text, for notices and the "working on it" reply.
    public func card(notice: String) -> TeamsJSON {
        .object([
            "type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": .string(Self.version), "body": .array([textBlock(notice)]), "fallbackText": .string(notice),
        ])
    }

    private func statusElements(_ answer: Answer, _ words: AnswerPresentation) -> [TeamsJSON] {
        guard let live = answer.liveStatus else { return [] }
        var elements: [TeamsJSON] = []
        for snapshot in live.jobs.prefix(maximumJobs) {
            elements.append(factSet(words.facts(for: snapshot.job)))
            if let tail = snapshot.logTail, !tail.isEmpty {
                elements.append(heading(words.logTailTitle))
                elements.append(
                    .object([
                        "type": "TextBlock", "text": .string(tail.joined(separator: "\n")), "wrap": true,
                        "fontType": "Monospace", "size": "Small",
                    ]))
            }
        }
        if live.jobs.count > maximumJobs {
            elements.append(textBlock("… +\(live.jobs.count - maximumJobs)", isSubtle: true))
        }
        for stream in live.jobStreams.prefix(maximumJobs) {
            elements.append(
                factSet([
                    (words.jobStreamLabel, "\(stream.workstation.trimmingLeadingSlash)#\(stream.name)"),
                    (words.statusLabel, stream.commonStatus.rawValue),
                ]))
        }
        elements.append(textBlock(words.freshnessLine(live.freshness), isSubtle: true))
        return elements
    }

    private func healthElements(_ answer: Answer, _ words: AnswerPresentation) -> [TeamsJSON] {
        guard let health = answer.health else { return [] }
        var facts = health.countsByStatus.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) }
        facts.append((words.workstationsLabel, String(health.workstationCount)))
        if !health.workstationsNeedingAttention.isEmpty {
            facts.append(
                (words.needingAttentionLabel, health.workstationsNeedingAttention.map(\.name).joined(separator: ", ")))
        }
        if !health.recentFailures.isEmpty {
            facts.append(
                (
                    words.recentFailuresLabel,
                    health.recentFailures.prefix(maximumJobs).map(\.qualifiedName).joined(separator: ", ")
                ))
        }
        return [heading(words.healthTitle), factSet(facts)]
    }

    private func diagnosisElements(_ diagnosis: DiagnosisSection, _ words: AnswerPresentation) -> [TeamsJSON] {
        guard !diagnosis.isEmpty else { return [] }
        var elements = [heading(words.diagnosisTitle)]
        elements += diagnosis.procedures.map { textBlock("• " + words.line(for: $0)) }
        if !diagnosis.knownSolutions.isEmpty {
            elements.append(heading(words.knownSolutionsTitle))
            elements += diagnosis.knownSolutions.map { textBlock("• " + $0.text) }
        }
        return elements
    }

    private func heading(_ text: String) -> TeamsJSON {
        .object(["type": "TextBlock", "text": .string(text), "weight": "Bolder", "wrap": true, "spacing": "Medium"])
    }

    private func textBlock(_ text: String, weight: String? = nil, size: String? = nil, isSubtle: Bool = false)
        -> TeamsJSON
    {
        var block: [String: TeamsJSON] = ["type": "TextBlock", "text": .string(text), "wrap": true]
        if let weight { block["weight"] = .string(weight) }
        if let size { block["size"] = .string(size) }
        if isSubtle { block["isSubtle"] = true }
        return .object(block)
    }

    private func factSet(_ facts: [(String, String)]) -> TeamsJSON {
        .object([
            "type": "FactSet",
            "facts": .array(facts.map { .object(["title": .string($0.0), "value": .string($0.1)]) }),
        ])
    }
}

/// The message bodies Teams accepts: the synchronous webhook reply and the Workflows post.
public enum TeamsMessage {
    /// `{"type":"message","text":…}`: a plain reply in the same reply chain.
    public static func text(_ text: String) -> TeamsJSON {
        .object(["type": "message", "text": .string(text)])
    }

    /// `{"type":"message","attachments":[{contentType: adaptive card, content: card}]}`. The Workflows
    /// template "Send webhook alerts to a channel" expects exactly this envelope, with `contentUrl: null`.
    public static func card(_ card: TeamsJSON) -> TeamsJSON {
        .object([
            "type": "message",
            "attachments": .array([
                .object([
                    "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": .null, "content": card,
                ])
            ]),
        ])
    }
}
