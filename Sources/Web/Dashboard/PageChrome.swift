import Foundation
import Hummingbird
import ResyncCore

/// The parts every logged-in page shares: language, navigation labels, the user and the CSRF token.
struct PageChrome {
    var language: String
    var nav: DashboardLabels
    var user: String?
    var role: String?
    var csrfToken: String
    var isChat = false
    var isDashboard = false
    var isDocs = false
    var otherLanguage: String
    var otherLanguageLabel: String

    init(language: Language, identity: WebIdentity?) {
        self.language = language.rawValue
        self.nav = DashboardLabels.of(language)
        self.user = identity?.user
        self.role = identity?.role.rawValue
        self.csrfToken = identity?.csrfToken ?? ""
        self.otherLanguage = language == .english ? Language.portuguese.rawValue : Language.english.rawValue
        self.otherLanguageLabel = language == .english ? "Português" : "English"
    }
}

/// The UI language of a request: `?lang=` first, then the browser's `Accept-Language`, then the configured default.
enum UILanguage {
    static func of(_ request: Request, default fallback: Language) -> Language {
        if let query = request.uri.queryParameters["lang"].flatMap({ Language(code: String($0)) }) { return query }
        if let header = request.headers[.acceptLanguage] {
            for part in header.split(separator: ",") {
                let code = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if let language = Language(code: code) { return language }
            }
        }
        return fallback
    }
}
