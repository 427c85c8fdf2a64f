import Foundation
import ResyncCore

/// Renders the dashboard's live part (the `<main>` content) for each UI language.
public struct DashboardRenderer: Sendable {
    public let templates: WebTemplates

    public init(templates: WebTemplates) { self.templates = templates }

    public func fragment(for snapshot: DashboardSnapshot, language: Language) -> String {
        templates.render(DashboardView(snapshot, language: language), template: "dashboard-content")
    }

    public func fragments(for snapshot: DashboardSnapshot) -> [Language: String] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, fragment(for: snapshot, language: $0)) })
    }
}
