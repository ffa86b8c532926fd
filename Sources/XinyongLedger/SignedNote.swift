import Crypto
import Foundation

/// Why a key, note or checkpoint was refused.
public struct LedgerFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// C2SP signed-note keys (https://c2sp.org/signed-note), Ed25519 (type 0x01): the key hash is the
/// first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian. Verifier keys read
/// `<name>+<hex key hash>+<base64(0x01 ‖ public key)>`; the private form (the format of Go's
/// golang.org/x/mod/sumdb/note) prefixes `PRIVATE+KEY+` and carries the 32-byte seed instead.
public struct NoteSigner: Sendable {
    public let name: String
    /// The 32-byte Ed25519 seed (swift-crypto's key type is not Sendable, so it is made on use).
    public let seed: [UInt8]
    public let publicKey: [UInt8]

    public init(name: String, seed: [UInt8]) throws {
        guard NoteVerifier.isValidName(name) else { throw LedgerFormatError("密钥名称不能为空，不能含空格、加号或换行") }
        guard seed.count == 32 else { throw LedgerFormatError("Ed25519 私钥种子应为 32 字节") }
        self.name = name
        self.seed = seed
        publicKey = Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).publicKey.rawRepresentation)
    }

    /// A new key with a random seed.
    public static func generate(name: String) throws -> NoteSigner {
        try NoteSigner(name: name, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// Reads `PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ seed)>`.
    public init(privateKey text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let blob = Data(base64Encoded: String(parts[4])),
              blob.count == 33, blob.first == 0x01 else {
            throw LedgerFormatError("私钥格式应为 PRIVATE+KEY+名称+密钥哈希+base64")
        }
        try self.init(name: String(parts[2]), seed: Array(blob.dropFirst()))
        guard String(parts[3]) == String(format: "%08x", keyHash) else { throw LedgerFormatError("私钥的密钥哈希与名称和公钥不符") }
    }

    public var keyHash: UInt32 { NoteVerifier.keyHash(name: name, publicKey: publicKey) }

    public var verifierKey: String {
        "\(name)+\(String(format: "%08x", keyHash))+\(Data([0x01] + publicKey).base64EncodedString())"
    }

    public var privateKey: String {
        "PRIVATE+KEY+\(name)+\(String(format: "%08x", keyHash))+\(Data([0x01] + seed).base64EncodedString())"
    }

    /// The signature line for `text` (a note text ending in a newline).
    public func signatureLine(for text: String) throws -> String {
        let signature = try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: Array(text.utf8))
        let h = keyHash
        let prefix: [UInt8] = [UInt8(h >> 24), UInt8(h >> 16 & 0xff), UInt8(h >> 8 & 0xff), UInt8(h & 0xff)]
        return "— \(name) \(Data(prefix + Array(signature)).base64EncodedString())\n"
    }

    /// The signed note: the text, a blank line, the signature line.
    public func sign(_ text: String) throws -> String {
        try SignedNote.checkText(text)
        return text + "\n" + (try signatureLine(for: text))
    }
}

public struct NoteVerifier: Sendable, Equatable {
    public let name: String
    public let keyHash: UInt32
    public let publicKey: [UInt8]

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains(where: { $0 == "+" || $0.isWhitespace || $0.isNewline })
    }

    static func keyHash(name: String, publicKey: [UInt8]) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0A, 0x01] + publicKey))
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    /// Reads `<name>+<hex key hash>+<base64(0x01 ‖ public key)>`, checking the hash.
    public init(verifierKey text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, Self.isValidName(String(parts[0])), parts[1].count == 8, let hash = UInt32(parts[1], radix: 16),
              parts[1] == parts[1].lowercased(), let blob = Data(base64Encoded: String(parts[2])), blob.count == 33, blob.first == 0x01 else {
            throw LedgerFormatError("验证公钥格式应为 名称+8位十六进制密钥哈希+base64(0x01‖公钥)")
        }
        name = String(parts[0])
        publicKey = Array(blob.dropFirst())
        keyHash = hash
        guard Self.keyHash(name: name, publicKey: publicKey) == hash else { throw LedgerFormatError("验证公钥的密钥哈希与名称和公钥不符") }
    }

    public func verifies(text: String, signature: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: Array(text.utf8))
    }
}

/// A note split into its text and signature lines.
public struct SignedNote: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        public var name: String
        public var keyHash: UInt32
        public var signature: [UInt8]
    }
    public var text: String
    public var signatures: [Signature]

    static func checkText(_ text: String) throws {
        guard text.hasSuffix("\n"), !text.contains("\n\n"), !text.hasPrefix("\n") else {
            throw LedgerFormatError("签名文本应以换行结尾，且不含空行")
        }
    }

    /// Parses a signed note: the text up to the last blank line, then `— name base64` lines.
    public init(_ note: String) throws {
        guard note.hasSuffix("\n"), let split = note.range(of: "\n\n", options: .backwards) else {
            throw LedgerFormatError("签名文本格式错误：缺少签名部分")
        }
        text = String(note[..<split.lowerBound]) + "\n"
        try Self.checkText(text)
        signatures = []
        for line in note[split.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "—", let blob = Data(base64Encoded: String(parts[2])), blob.count > 4 else {
                throw LedgerFormatError("签名行格式错误：\(line.prefix(60))")
            }
            let b = Array(blob)
            signatures.append(Signature(name: String(parts[1]), keyHash: UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3]),
                                        signature: Array(b[4...])))
        }
        guard !signatures.isEmpty else { throw LedgerFormatError("签名文本没有签名") }
    }

    /// Whether a signature by `verifier` (same name and key hash) is valid.
    public func isSigned(by verifier: NoteVerifier) -> Bool {
        signatures.contains { $0.name == verifier.name && $0.keyHash == verifier.keyHash && verifier.verifies(text: text, signature: $0.signature) }
    }
}

/// A C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin, the tree size in decimal,
/// the base64 root hash, then extension lines.
public struct Checkpoint: Sendable, Equatable {
    public var origin: String
    public var size: UInt64
    public var rootHash: Hash
    public var extensions: [String]

    public init(origin: String, size: UInt64, rootHash: Hash, extensions: [String] = []) {
        self.origin = origin; self.size = size; self.rootHash = rootHash; self.extensions = extensions
    }

    public var body: String {
        "\(origin)\n\(size)\n\(Data(rootHash).base64EncodedString())\n" + extensions.map { $0 + "\n" }.joined()
    }

    public init(body: String) throws {
        try SignedNote.checkText(body)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard lines.count >= 3, !lines[0].isEmpty, let size = UInt64(lines[1]), String(size) == lines[1],
              let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw LedgerFormatError("检查点格式应为：来源、树大小（十进制）、base64 根哈希各一行")
        }
        origin = lines[0]; self.size = size; rootHash = Array(root); extensions = Array(lines.dropFirst(3))
    }
}
