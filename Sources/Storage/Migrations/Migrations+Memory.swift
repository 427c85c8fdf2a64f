extension Migrations {
    /// Tables of the memory concern.
    static let memory: [Migration] = []
}
