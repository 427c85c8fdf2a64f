import Agent
import ArgumentParser
import Foundation
import ResyncCore
import Web

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a question and print the answer.",
        discussion: """
            Asks a running Resync (`resync serve`) over POST /api/ask and renders the answer for the terminal.
            The server needs a login: set RESYNC_API_TOKEN (environment or .env) to the server's API token.
            Examples: resync ask "Qual o status do job PAYROLL_FINAL?"   resync ask --format json "failed 3h"
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case terminal, plain, markdown, json
    }

    @Argument(help: "The question, in Portuguese or English.")
    var question: String

    @Option(help: "Base URL of the Resync server (default: http://127.0.0.1:HTTP_PORT).")
    var server: String?

    @Option(help: "Reply language when the question's own cannot be told: pt-BR or en (default: RESYNC_LANGUAGE).")
    var language: String?

    @Option(help: "terminal (colours), plain, markdown or json.")
    var format: OutputFormat = .terminal

    func validate() throws {
        if let language, Language(code: language) == nil { throw ValidationError("--language must be pt-BR or en") }
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the question is empty")
        }
        if let server, !(server.hasPrefix("http://") || server.hasPrefix("https://")) {
            throw ValidationError("--server must be a URL such as http://\(server)")
        }
    }

    func run() async throws {
        let config = try await loadConfigOrExit()
        let base = server ?? "http://127.0.0.1:\(config.http.port)"
        do {
            let answer = try await RemoteAsk.ask(
                server: base, question: question, language: language.flatMap(Language.init(code:)) ?? config.language,
                apiToken: config.apiToken)
            print(Self.render(answer, format: format, timeZone: config.timeZone))
        } catch let failure as RemoteAsk.Failure {
            // The server answered: asking whether it runs would send the reader the wrong way.
            FileHandle.standardError.write(Data("resync ask: \(failure)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("resync ask: \(error) (is `resync serve` running at \(base)?)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The answer as the chosen output format; also what an in-process `resync ask` prints.
    static func render(_ answer: Answer, format: OutputFormat, timeZone: TimeZone = .current) -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return (try? encoder.encode(answer)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        case .terminal: return AnswerTextRenderer(format: .terminal, timeZone: timeZone).render(answer)
        case .plain: return AnswerTextRenderer(format: .plain, timeZone: timeZone).render(answer)
        case .markdown: return AnswerTextRenderer(format: .markdown, timeZone: timeZone).render(answer)
        }
    }
}
