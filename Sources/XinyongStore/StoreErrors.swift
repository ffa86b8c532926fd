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
        // The C API's extended codes: SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY.
        if let e = error as? SQLiteCError { return e.code == 2067 || e.code == 1555 }
        return false
    }
}
