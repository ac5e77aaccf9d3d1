import LodestarCore

extension PostgresStoreError: StorageUnavailableError {
    public var isUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }
}
