import Crypto
import Foundation
import XinyongCore
import Testing
@testable import XinyongLedger

/// The RFC 9162 tree and proofs against published vectors, every size checked by the RFC's own
/// verification algorithms, and C2SP signed notes against the Go reference example.
@Suite("Ledger: Merkle tree and signed notes")
struct LedgerTests {
    func h(_ s: String) -> Hash { Hex.decode(s)! }

    // Vectors of Certificate Transparency's reference implementation (google/certificate-transparency,
    // cpp/merkletree/merkle_tree_test.cc; the same values are in transparency-dev/merkle's testonly
    // package): eight leaf inputs, the tree head for each size 0…8, and audit and consistency paths.
    static let inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    var leaves: [Hash] { Self.inputs.map { Merkle.leafHash(Hex.decode($0)!) } }

    @Test func treeHeadsMatchTheReferenceForEverySize() {
        for n in 0...8 { #expect(Hex.encode(Merkle.root(leaves[0..<n])) == Self.roots[n], "size \(n)") }
        #expect(Merkle.emptyRoot == h(Self.roots[0]))
    }

    @Test func auditPathsMatchTheReference() {
        // (0-based index, tree size, path)
        let vectors: [(Int, Int, [String])] = [
            (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
            (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        ]
        for (index, size, path) in vectors {
            let proof = Merkle.inclusionProof(index: index, leaves: leaves[0..<size])
            #expect(proof.map(Hex.encode) == path, "leaf \(index) of \(size)")
            #expect(Merkle.verifyInclusion(index: UInt64(index), size: UInt64(size), leafHash: leaves[index], proof: proof, root: h(Self.roots[size])))
        }
    }

    @Test func consistencyPathsMatchTheReference() {
        let vectors: [(Int, Int, [String])] = [
            (1, 1, []),
            (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        ]
        for (m, n, path) in vectors {
            let proof = Merkle.consistencyProof(from: m, leaves: leaves[0..<n])
            #expect(proof.map(Hex.encode) == path, "\(m) → \(n)")
            #expect(Merkle.verifyConsistency(from: UInt64(m), to: UInt64(n), proof: proof, firstRoot: h(Self.roots[m]), secondRoot: h(Self.roots[n])))
        }
    }

    /// Every leaf of every tree size 1…40 and every pair of sizes: the proofs the tree gives verify
    /// with the RFC's algorithms, and a changed leaf, root, index or path element does not.
    @Test func everyProofOfEverySmallTreeVerifiesAndNoForgeryDoes() {
        let data = (0..<40).map { Merkle.leafHash([UInt8($0), UInt8(truncatingIfNeeded: $0 &* 7)]) }
        for n in 1...40 {
            let tree = data[0..<n]
            let root = Merkle.root(tree)
            for i in 0..<n {
                let proof = Merkle.inclusionProof(index: i, leaves: tree)
                #expect(Merkle.verifyInclusion(index: UInt64(i), size: UInt64(n), leafHash: tree[i], proof: proof, root: root))
                #expect(!Merkle.verifyInclusion(index: UInt64(i), size: UInt64(n), leafHash: Merkle.leafHash([0xff, UInt8(i)]), proof: proof, root: root))
                if n > 1 {
                    #expect(!Merkle.verifyInclusion(index: UInt64((i + 1) % n), size: UInt64(n), leafHash: tree[i], proof: proof, root: root))
                    var bent = proof
                    bent[0][0] ^= 1
                    #expect(!Merkle.verifyInclusion(index: UInt64(i), size: UInt64(n), leafHash: tree[i], proof: bent, root: root))
                }
            }
            for m in 0...n {
                let proof = Merkle.consistencyProof(from: m, leaves: tree)
                let first = Merkle.root(data[0..<m])
                #expect(Merkle.verifyConsistency(from: UInt64(m), to: UInt64(n), proof: proof, firstRoot: first, secondRoot: root), "\(m) → \(n)")
                if m > 0 && m < n {
                    var other = first
                    other[31] ^= 1
                    #expect(!Merkle.verifyConsistency(from: UInt64(m), to: UInt64(n), proof: proof, firstRoot: other, secondRoot: root))
                    #expect(!Merkle.verifyConsistency(from: UInt64(m), to: UInt64(n), proof: proof, firstRoot: first, secondRoot: Merkle.leafHash([9])))
                }
            }
        }
    }

    // The example of golang.org/x/mod/sumdb/note (example_test.go), the reference implementation
    // of the C2SP signed-note format.
    static let peterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let peterVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterNote = peterText + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    @Test func signedNotesMatchTheGoReference() throws {
        let signer = try NoteSigner(privateKey: Self.peterSigner)
        #expect(signer.verifierKey == Self.peterVerifier)
        #expect(signer.privateKey == Self.peterSigner)
        // Ed25519 signatures are deterministic (RFC 8032), so the note is byte for byte the reference.
        #expect(try signer.sign(Self.peterText) == Self.peterNote)
        let verifier = try NoteVerifier(verifierKey: Self.peterVerifier)
        let note = try SignedNote(Self.peterNote)
        #expect(note.text == Self.peterText && note.isSigned(by: verifier))
        // A changed byte of the text, or another key, does not verify.
        let forged = try SignedNote(Self.peterNote.replacingOccurrences(of: "cryptography", with: "cryptographY"))
        #expect(!forged.isSigned(by: verifier))
        let other = try NoteSigner.generate(name: "PeterNeumann")
        #expect(!note.isSigned(by: try NoteVerifier(verifierKey: other.verifierKey)))
        // Keys with a wrong hash or type are refused.
        #expect(throws: LedgerFormatError.self) { try NoteVerifier(verifierKey: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") }
        #expect(throws: LedgerFormatError.self) { try NoteVerifier(verifierKey: "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") }
    }

    @Test func checkpointsAreSignedNotesWithTheirOwnBody() throws {
        let signer = try NoteSigner.generate(name: "xinyong.example/credit-log")
        let cp = Checkpoint(origin: "xinyong.example/credit-log", size: 8, rootHash: h(Self.roots[8]), extensions: ["timestamp 1795363200"])
        let note = try signer.sign(cp.body)
        #expect(note.hasPrefix("xinyong.example/credit-log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntimestamp 1795363200\n\n— xinyong.example/credit-log "))
        let parsed = try SignedNote(note)
        #expect(parsed.isSigned(by: try NoteVerifier(verifierKey: signer.verifierKey)))
        #expect(try Checkpoint(body: parsed.text) == cp)
        #expect(throws: LedgerFormatError.self) { try Checkpoint(body: "origin\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n") }
        #expect(throws: LedgerFormatError.self) { try signer.sign("no final newline") }
    }

    /// Proofs from stored subtree hashes equal the recursive definitions for every size and leaf,
    /// with the nodes written in batches of any size, reading only the nodes the proof names.
    @Test func proofsFromStoredNodesEqualTheDefinitions() throws {
        let data = (0..<70).map { Merkle.leafHash([UInt8($0), 0x5a]) }
        for batch in [1, 3, 7, 64] {
            var stored: [NodeID: Hash] = [:]
            var size: UInt64 = 0
            while size < UInt64(data.count) {
                let end = min(size + UInt64(batch), UInt64(data.count))
                let frontier = Dictionary(uniqueKeysWithValues: NodeProofs.rootNodes(size: size).map { ($0, stored[$0]!) })
                stored.merge(try NodeProofs.append(leaves: Array(data[Int(size)..<Int(end)]), at: size, frontier: frontier)) { a, _ in a }
                size = end
            }
            for n in 1...UInt64(data.count) {
                let tree = data[0..<Int(n)]
                #expect(try NodeProofs.root(size: n, hashes: stored) == Merkle.root(tree))
                for i in stride(from: UInt64(0), to: n, by: n > 20 ? 7 : 1) {
                    let needed = NodeProofs.inclusionNodes(index: i, size: n)
                    let only = stored.filter { needed.contains($0.key) }
                    #expect(try NodeProofs.inclusionProof(index: i, size: n, hashes: only) == Merkle.inclusionProof(index: Int(i), leaves: tree))
                }
                for m in stride(from: UInt64(0), through: n, by: n > 20 ? 5 : 1) {
                    let needed = NodeProofs.consistencyNodes(from: m, to: n)
                    let only = stored.filter { needed.contains($0.key) }
                    #expect(try NodeProofs.consistencyProof(from: m, to: n, hashes: only) == Merkle.consistencyProof(from: Int(m), leaves: tree))
                }
            }
            #expect(stored.count == 70 + 35 + 17 + 8 + 4 + 2 + 1)   // every complete subtree, once
        }
        // At ten million leaves a proof names at most a few dozen nodes.
        #expect(NodeProofs.inclusionNodes(index: 4_321_987, size: 10_000_000).count <= 48)
        #expect(NodeProofs.consistencyNodes(from: 9_999_001, to: 10_000_000).count <= 48)
    }

    /// Every subtree hash has one place: no two nodes of a 70,000-leaf tree share a tile slot, each
    /// slot lies inside its tile, and a tile's bottom row holds 256 consecutive nodes of its level.
    @Test func everyNodeHasItsOwnTileSlot() {
        var seen = Set<[Int64]>()
        var nodes = 0
        for level in 0..<17 {
            for index in 0..<(UInt64(70_000) >> UInt64(level)) {
                let id = NodeID(level: level, index: index)
                let offset = HashTile.offset(of: id)
                #expect(offset >= 0 && offset + 32 <= HashTile.bytes && offset % 32 == 0)
                #expect(seen.insert([HashTile.key(of: id), Int64(offset)]).inserted, "\(id) shares a slot")
                nodes += 1
            }
        }
        #expect(seen.count == nodes)
        #expect(HashTile.key(of: NodeID(level: 8, index: 300)) == NodeID(level: 1, index: 1).key)
        #expect(HashTile.offset(of: NodeID(level: 8, index: 300)) == 44 * 32)
        #expect(HashTile.offset(of: NodeID(level: 7, index: 5)) == 509 * 32)   // the right half's root of tile 2
        #expect(HashTile.key(of: NodeID(level: 7, index: 5)) == NodeID(level: 0, index: 2).key)
        #expect(HashTile.bytes == 16_320)
    }

    /// Leaf data is canonical JSON; version 2 commits to the subject per leaf, version 1 leaves
    /// (logged before) are recognised and recomputed as version 1.
    @Test func leavesCommitToTheirSubjectWithoutShowingIt() throws {
        let e = LedgerEvent(seq: 42, at: 1_700_000_000_000, event: "record.created", item: "xzcf", recordID: 7, version: 1,
                            fields: "{\"CF_WSH\":\"厦市监处罚〔2026〕1号\"}", subjectID: 9)
        let salt = [UInt8](repeating: 1, count: 32), key = [UInt8](repeating: 2, count: 32)
        let v2 = LeafEncoding.data(e, salt: salt, subjectKey: key)
        let v1 = LeafEncoding.data(e, salt: salt, subjectKey: key, version: 1)
        #expect(LeafEncoding.version(of: v2) == 2 && LeafEncoding.version(of: v1) == 1)
        #expect(!String(decoding: v1, as: UTF8.self).contains("subject"))
        let leaf = try LeafData(v2)
        #expect(try JSONValue.parse(v2).canonical == v2)   // already canonical
        #expect(leaf.seq == 42 && leaf.record == 7 && leaf.belongs(toSubjectKey: key) && !leaf.belongs(toSubjectKey: salt))
        #expect(leaf.digest == Hex.encode(LeafEncoding.digest(fields: e.fields, salt: salt)))
        // The same subject's commitment differs from leaf to leaf.
        var next = e
        next.seq = 43
        #expect(try LeafData(LeafEncoding.data(next, salt: salt, subjectKey: key)).subject != leaf.subject)
        #expect(!String(decoding: v2, as: UTF8.self).contains("厦市监"))
        // The exact bytes, escapes included: logged leaves are recomputed by the audit, so the
        // encoding may never change (this literal is what the first, string-built encoder wrote).
        var odd = e
        odd.item = "a\"b\\c\u{1}信"
        let digest = Hex.encode(LeafEncoding.digest(fields: e.fields, salt: salt))
        #expect(String(decoding: LeafEncoding.data(odd, salt: salt, subjectKey: nil, version: 1), as: UTF8.self)
                == "{\"at\":1700000000000,\"digest\":\"\(digest)\",\"event\":\"record.created\",\"item\":\"a\\\"b\\\\c\\u0001信\",\"record\":7,\"seq\":42,\"v\":1,\"version\":1}")
    }

    /// The hashing shortcuts the log uses are the hashes they stand for: the keyed label equals
    /// swift-crypto's HMAC of the spelled-out text for short, block-sized and long keys and for
    /// every sign and length of number, and the digits are `String(n)`'s.
    @Test func keyedLabelsAreHMACOfTheSpelledOutText() {
        let numbers: [Int64] = [0, 7, -1, 42, 1_000_000, Int64.max, Int64.min + 1, Int64.min]
        for n in numbers { #expect(withDecimalDigits(n) { Array($0) } == Array(String(n).utf8), "\(n)") }
        for keyLength in [16, 32, 64, 65, 200] {
            let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let keyed = KeyedSHA256(key: key)
            for n in numbers {
                let expected = Array(HMAC<SHA256>.authenticationCode(for: Array("subject:\(n)".utf8), using: SymmetricKey(data: key)))
                #expect(keyed.code(label: "subject:", n) == expected, "key \(keyLength) bytes, n \(n)")
            }
            // Copies of the keyed states: a code leaves the next one unchanged.
            #expect(keyed.code(label: "record:", 5) == keyed.code(label: "record:", 5))
            #expect(keyed.code(label: "record:", 5) != keyed.code(label: "check:", 5))
        }
        var h = HashState()
        h.add(byte: 0x01)
        h.add([2, 3])
        h.add(decimal: -12)
        h.add("x:")
        #expect(h.bytes() == Array(SHA256.hash(data: [1, 2, 3] + Array("-12x:".utf8))))
    }

    /// The value-type SHA-256 state gives swift-crypto's digests: nothing, one byte, block edges and
    /// long inputs fed in uneven pieces; a copied state goes on independently of its original.
    @Test func hashStateMatchesSwiftCrypto() {
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 128, 1000] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
            var h = HashState()
            var i = 0, piece = 1
            while i < data.count {
                let end = min(data.count, i + piece)
                data[i..<end].withUnsafeBytes { h.add($0) }
                i = end; piece += 7
            }
            var copy = h
            copy.add(byte: 0xff)
            let expected = Array(SHA256.hash(data: data))
            #expect(h.bytes() == expected, "\(length) bytes")
            #expect(copy.bytes() == Array(SHA256.hash(data: data + [0xff])), "\(length) bytes and one more, from a copy")
            var again = HashState()
            again.add(data)
            #expect(again.withDigest { Array($0) } == expected)
        }
    }

    /// The canonical form: sorted keys by bytes, no whitespace, integers only; the same for any layout.
    @Test func canonicalJSONIgnoresLayoutAndRefusesFractions() throws {
        let a = try JSONValue.parse(Array("{ \"b\": [1, true, null], \"a\": \"信用\\n\" }".utf8))
        #expect(String(decoding: a.canonical, as: UTF8.self) == "{\"a\":\"信用\\n\",\"b\":[1,true,null]}")
        #expect(throws: (any Error).self) { try JSONValue.parse(Array("{\"a\": 1.5}".utf8)) }
    }
}
