import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResyncCore

/// `GET /login` (form), `POST /login` (credentials), `POST /logout`.
struct AuthRoutes: Sendable {
    let auth: WebAuth
    let templates: WebTemplates
    let defaultLanguage: Language

    struct LoginText {
        var title, user, password, submit, hint, wrong, throttled, expired: String

        static func of(_ language: Language) -> LoginText {
            language == .english
                ? LoginText(
                    title: "Sign in", user: "User", password: "Password", submit: "Sign in",
                    hint: "Ask your Resync administrator for an account.", wrong: "Wrong user name or password.",
                    throttled: "Too many failed attempts. Try again in %d s.",
                    expired: "The form expired; please try again.")
                : LoginText(
                    title: "Entrar", user: "Usuário", password: "Senha", submit: "Entrar",
                    hint: "Peça uma conta ao administrador do Resync.", wrong: "Usuário ou senha incorretos.",
                    throttled: "Muitas tentativas falharam. Tente de novo em %d s.",
                    expired: "O formulário expirou; tente de novo.")
        }
    }

    struct LoginPage {
        var language: String
        var text: LoginText
        var error: String?
        var csrfToken: String
        var next: String
        var user: String
        var otherLanguage: String
        var otherLanguageLabel: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/login") { request, context in try await showForm(request, context) }
        router.post("/login") { request, context in try await submit(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
    }

    func showForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let next = WebAuth.safeRedirectTarget(request.uri.queryParameters["next"].map(String.init))
        if context.identity != nil {
            return Response(status: .found, headers: [.location: next])
        }
        let language = UILanguage.of(request, default: defaultLanguage)
        return try loginPage(
            language: language, error: nil, next: next, user: "", status: .ok, request: request, context: context)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let form = FormFields(String(buffer: body))
        let language = UILanguage.of(request, default: defaultLanguage)
        let text = LoginText.of(language)
        let next = WebAuth.safeRedirectTarget(form["next"])
        let user = String((form["user"] ?? "").prefix(128))
        // Login CSRF: the form's token must match the cookie set with the form (no session exists yet).
        guard let submitted = form["_csrf"], let cookie = request.cookies[WebAuth.loginCSRFCookieName]?.value,
            Tokens.constantTimeEqual(submitted, cookie)
        else {
            return try loginPage(
                language: language, error: text.expired, next: next, user: user, status: .forbidden, request: request,
                context: context)
        }
        switch try await auth.login(user: user, password: form["password"] ?? "", address: context.remoteAddress) {
        case .success(_, let cookie):
            var response = Response(status: .seeOther, headers: [.location: next])
            response.setCookie(cookie)
            response.setCookie(auth.clearedLoginCSRFCookie())
            return response
        case .invalidCredentials:
            return try loginPage(
                language: language, error: text.wrong, next: next, user: user, status: .unauthorized, request: request,
                context: context)
        case .throttled(let seconds):
            var response = try loginPage(
                language: language, error: String(format: text.throttled, seconds), next: next, user: user,
                status: .tooManyRequests, request: request, context: context)
            response.headers[.retryAfter] = "\(seconds)"
            return response
        }
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        if let identity = context.identity {
            response.setCookie(try await auth.logout(identity))
        }
        return response
    }

    func loginPage(
        language: Language, error: String?, next: String, user: String, status: HTTPResponse.Status, request: Request,
        context: AppRequestContext
    ) throws -> Response {
        let token = Tokens.random()
        let page = LoginPage(
            language: language.rawValue, text: .of(language), error: error, csrfToken: token, next: next, user: user,
            otherLanguage: language == .english ? "pt-BR" : "en",
            otherLanguageLabel: language == .english ? "Português" : "English")
        var response = try HTMLPage(html: templates.render(page, template: "login"), status: status)
            .response(from: request, context: context)
        response.setCookie(auth.loginCSRFCookie(value: token))
        return response
    }
}
