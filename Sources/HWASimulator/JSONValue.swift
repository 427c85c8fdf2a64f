import Foundation
import ResyncCore

extension JSONValue {
    /// The scalar values at a dotted path; arrays on the way fan out (`jobruns.compositeStatus.status`).
    func values(at path: [Substring]) -> [JSONValue] {
        guard let head = path.first else {
            if case .array(let elements) = self { return elements }
            return [self]
        }
        switch self {
        case .object(let object):
            return object[String(head)]?.values(at: Array(path.dropFirst())) ?? []
        case .array(let elements):
            return elements.flatMap { $0.values(at: path) }
        default:
            return []
        }
    }
}
