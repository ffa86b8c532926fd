/// Errors of the domain, free of HTTP. The web layer maps each case to a status and a problem body.
public enum DomainError: Error, Sendable, Equatable {
    /// Something the caller asked for does not exist. `what` is a Chinese noun phrase ("主体 91…").
    case notFound(what: String)
    /// The input breaks a rule; `field` names the input field, `reason` says what to fix, in Chinese.
    case invalid(field: String, reason: String)
    /// The request conflicts with the current state (duplicate code, stale version).
    case conflict(String)
    /// Authentication is missing or failed.
    case unauthenticated(String)
    /// The caller is authenticated but its role does not allow this.
    case forbidden(String)
    /// Too many attempts; retry after the given number of seconds.
    case tooManyRequests(retryAfter: Int, message: String)
    /// A dependency (the database) cannot be reached.
    case unavailable(String)
}

extension DomainError: CustomStringConvertible {
    public var description: String { message }

    /// A problem with what the person asked for that they can correct and send again (bad input,
    /// a conflict, something named that does not exist), as opposed to being refused or the
    /// platform failing: forms show it beside what was typed.
    public var isCorrectable: Bool {
        switch self {
        case .invalid, .conflict, .notFound: true
        default: false
        }
    }

    /// The Chinese sentence for a person: what is wrong and what to do.
    public var message: String {
        switch self {
        case .notFound(let w): "未找到\(w)"
        case .invalid(_, let r), .conflict(let r), .unauthenticated(let r), .forbidden(let r), .unavailable(let r): r
        case .tooManyRequests(_, let m): m
        }
    }
}
