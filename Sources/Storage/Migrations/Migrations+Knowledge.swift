extension Migrations {
    /// Tables of the knowledge concern.
    static let knowledge: [Migration] = []
}
