extension Migrations {
    /// Tables of the chat concern.
    static let chat: [Migration] = []
}
