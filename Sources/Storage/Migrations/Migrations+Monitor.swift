extension Migrations {
    /// Tables of the monitor concern.
    static let monitor: [Migration] = []
}
