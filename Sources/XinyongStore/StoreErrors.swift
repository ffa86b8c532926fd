import PostgresKit
import SQLiteKit

/// Classification of driver errors, the one place that knows SQLite's and PostgreSQL's error types.
enum StoreErrors {
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let e = error as? PSQLError { return e.serverInfo?[.sqlState] == "23505" }
        if let e = error as? SQLiteError {
            switch e.reason {
            case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return true
            case .constraint: return e.message.contains("UNIQUE")
            default: return false
            }
        }
        return false
    }
}
