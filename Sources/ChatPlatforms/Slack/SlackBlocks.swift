import Foundation

/// The Block Kit subset Resync renders. Encoded once into the outbox payload.
struct SlackText: Encodable, Hashable {
    var type: String
    var text: String

    static func mrkdwn(_ text: String) -> SlackText { SlackText(type: "mrkdwn", text: text) }
    static func plain(_ text: String) -> SlackText { SlackText(type: "plain_text", text: text) }
}

struct SlackButton: Encodable, Hashable {
    var type = "button"
    var action_id: String
    var text: SlackText
    var value: String
}

enum SlackBlock: Encodable, Hashable {
    case section(SlackText, fields: [SlackText] = [])
    case context([SlackText])
    case actions([SlackButton])
    case divider

    enum CodingKeys: String, CodingKey { case type, text, fields, elements }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .section(let text, let fields):
            try container.encode("section", forKey: .type)
            try container.encode(text, forKey: .text)
            if !fields.isEmpty { try container.encode(fields, forKey: .fields) }
        case .context(let elements):
            try container.encode("context", forKey: .type)
            try container.encode(elements, forKey: .elements)
        case .actions(let buttons):
            try container.encode("actions", forKey: .type)
            try container.encode(buttons, forKey: .elements)
        case .divider:
            try container.encode("divider", forKey: .type)
        }
    }
}

/// A message body: notification/fallback text plus blocks.
struct SlackMessageBody: Encodable, Hashable {
    var text: String
    var blocks: [SlackBlock]

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return #"{"text":""}"# }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Slack's documented message limits.
enum SlackLimits {
    static let blocksPerMessage = 50
    static let sectionText = 3_000
    static let fieldText = 2_000
    static let fieldsPerSection = 10
    static let contextElements = 10
    /// Keep a message's block text well under the ~13 k where Slack starts answering `msg_blocks_too_long`.
    static let messageBudget = 11_000
    /// The plain-text fallback is truncated by Slack at 40 000; keep notifications short.
    static let fallbackText = 3_000
}

/// Slack mrkdwn escaping: only `&`, `<` and `>` are control characters.
func slackEscaped(_ text: String) -> String {
    // Byte by byte: `&`, `<` and `>` are escaped even when a combining mark follows them (as a `Character`
    // such a pair would not compare equal to "<"), and text without them, nearly all, is returned as is.
    guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
    else { return text }
    var escaped: [UInt8] = []
    escaped.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
        default: escaped.append(byte)
        }
    }
    return String(decoding: escaped, as: UTF8.self)
}

/// Cuts text to at most `limit` characters, marking the cut.
func truncated(_ text: String, to limit: Int) -> String {
    // A string has no more characters than UTF-8 bytes: the short ones need no grapheme count.
    guard text.utf8.count > limit, text.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
}

/// Splits lines into chunks of at most `limit` characters each (a longer single line is cut).
func chunked(lines: [String], limit: Int) -> [String] {
    var chunks: [String] = []
    var current = ""
    for line in lines {
        let line = truncated(line, to: limit)
        if !current.isEmpty && current.count + 1 + line.count > limit {
            chunks.append(current)
            current = ""
        }
        current += current.isEmpty ? line : "\n" + line
    }
    if !current.isEmpty { chunks.append(current) }
    return chunks
}
