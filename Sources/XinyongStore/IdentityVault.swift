import Crypto
import Foundation
import XinyongCore
import XinyongLedger

/// Protects natural persons' identity numbers at rest so that a database dump alone does not
/// reveal them: a keyed hash (HMAC-SHA256) finds a person by number, and the number itself is
/// sealed with AES-GCM. Both keys are derived from the platform data key, which lives outside
/// the database (a key file or `XINYONG_DATA_KEY`).
public struct IdentityVault: Sendable {
    private let lookupBytes: [UInt8]
    private let sealBytes: [UInt8]
    /// HMAC-SHA256 keyed once with the ledger salt key (salts and subject keys are codes of short labels).
    private let ledgerMAC: KeyedSHA256
    private var lookupKey: SymmetricKey { SymmetricKey(data: lookupBytes) }
    private var sealKey: SymmetricKey { SymmetricKey(data: sealBytes) }

    /// - Parameter dataKey: at least 32 bytes of key material.
    public init(dataKey: Data) {
        let master = SymmetricKey(data: dataKey)
        func derive(_ info: String) -> [UInt8] {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(info.utf8), outputByteCount: 32)
                .withUnsafeBytes { Array($0) }
        }
        lookupBytes = derive("xinyong identity lookup v1")
        sealBytes = derive("xinyong identity seal v1")
        ledgerMAC = KeyedSHA256(key: derive("xinyong ledger salt v1"))
    }

    /// The salt of a record's content digest in the transparency log: its own per record, so that
    /// revealing one record's salt (in a report) reveals nothing about another.
    public func ledgerSalt(recordID: Int64) -> [UInt8] {
        ledgerMAC.code(label: "record:", recordID)
    }

    /// The salt of an answered check's digest in the log.
    public func ledgerSalt(checkID: Int64) -> [UInt8] {
        ledgerMAC.code(label: "check:", checkID)
    }

    /// The key of a subject's commitments in the log (revealed by the subject's reports).
    public func ledgerSubjectKey(subjectID: Int64) -> [UInt8] {
        ledgerMAC.code(label: "subject:", subjectID)
    }

    /// The lookup key stored in `subjects.code_key` for a person: `P` and 64 hex digits.
    public func lookupToken(_ normalizedID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(normalizedID.utf8), using: lookupKey)
        return "P" + Hex.encode(mac)
    }

    public func seal(_ value: String) throws -> String {
        try AES.GCM.seal(Data(value.utf8), using: sealKey).combined!.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw VaultError() }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: sealKey), as: UTF8.self)
    }

    /// A value derived from the key, stored in the database to detect a wrong key at start.
    public var keyCheck: String { lookupToken("xinyong-key-check") }

    struct VaultError: Error {}
}
