import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import XinyongCore

/// Random tokens and their hashes.
public enum Tokens {
    /// `bytes` random bytes from the system's CSPRNG, as hex or base64url without padding.
    public static func random(bytes: Int, hex: Bool = false) -> String {
        var rng = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
        if hex { return Hex.encode(data) }
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func sha256Hex(_ s: String) -> String {
        Hex.encode(SHA256.hash(data: Data(s.utf8)))
    }

    /// Compares two strings in time independent of where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// API keys look like `xy_<prefix>_<secret>`: the prefix finds the key, the secret is stored only as SHA-256.
public enum APIKeyFormat {
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate() -> (token: String, prefix: String, secretHash: String) {
        var rng = SystemRandomNumberGenerator()
        let prefix = String((0..<10).map { _ in alphabet.randomElement(using: &rng)! })
        let secret = Tokens.random(bytes: 32)
        return ("xy_\(prefix)_\(secret)", prefix, Tokens.sha256Hex(secret))
    }

    public static func parse(_ token: String) -> (prefix: String, secret: String)? {
        let parts = token.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0] == "xy", parts[1].count == 10, parts[2].count >= 20 else { return nil }
        return (String(parts[1]), String(parts[2]))
    }
}

/// bcrypt password hashing, run off the event loops (it is deliberately slow).
public struct Passwords: Sendable {
    public let cost: UInt8
    public init(cost: UInt8) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// A bcrypt hash (cost 12) of a throwaway string. Sign-in verifies against it when the user
    /// name is unknown, so that response time does not reveal which user names exist.
    static let dummyHash = "$2b$12$ZMfLRNE2KJuIZWFnHRCF8uSKm.FQuwjlBNPvkGMwjdV4Qoaz/Ptt2"

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A password for a first administrator: 20 characters from an unambiguous alphabet.
    public static func generate() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &rng)! })
    }
}

/// Throttles failed sign-ins per user name and per client address: after `limit` failures within
/// `window`, further attempts are refused until the window has passed.
public actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    private let limit: Int
    private let window: TimeInterval

    public init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before another attempt is allowed, or `nil` when one is allowed now.
    public func retryAfter(keys: [String], now: Date = Date()) -> Int? {
        var wait: TimeInterval = 0
        for k in keys {
            let recent = (failures[k] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[k] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait, window - now.timeIntervalSince(oldest))
            }
        }
        return wait > 0 ? Int(wait.rounded(.up)) : nil
    }

    public func recordFailure(keys: [String], now: Date = Date()) {
        for k in keys { failures[k, default: []].append(now) }
        if failures.count > 100_000 { failures.removeAll() }   // bound memory under a flood
    }

    public func recordSuccess(keys: [String]) {
        for k in keys { failures[k] = nil }
    }
}
