import ResyncCore

/// Adaptive Card trees are plain JSON values whose shape varies element by element.
public typealias TeamsJSON = JSONValue
