import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XinyongApp
import XinyongCore
import XinyongLedger
import XinyongStore
import XinyongTestSupport
import XinyongWeb

/// The transparency log's public API: checkpoints as signed notes and JSON, entries, and proofs
/// that verify against the checkpoint with the RFC 9162 algorithms.
@Suite("Ledger API")
struct LedgerHTTPTests {
    @Test func proofsFromTheAPIVerifyAgainstTheSignedCheckpoint() async throws {
        try await TestBackend.withPlatform { p in
            for d in DemoData.departments { try await p.store.upsertDepartment(d) }
            let cast = CheckTests.cast()
            try await CheckTests.seed(p.store, cast)
            let signer = try await p.ledgerSigner()
            let first = try #require(try await p.store.sequenceAndSign(signer: signer, origin: p.config.ledgerOrigin))
            try await CheckTests.submit(p.store, item: "xzcf", department: "SCJGJ",
                                        [RightsHTTPTests.penaltyRow(cast.clean, number: "厦市监处罚〔2026〕77号", decided: CivilDate.today().adding(days: -3))])
            let second = try #require(try await p.store.sequenceAndSign(signer: signer, origin: p.config.ledgerOrigin))
            #expect(first.size == 3 && second.size == 4)
            let app = try buildApplication(config: p.config, store: p.store, showsSyntheticNotice: false, ledger: signer, logger: TestBackend.logger)
            try await app.test(.router) { client in
                let key = String(buffer: try await client.execute(uri: "/api/v1/ledger/public-key", method: .get).body)
                let verifier = try NoteVerifier(verifierKey: key)
                let text = try await client.execute(uri: "/api/v1/ledger/checkpoint", method: .get)
                #expect(text.headers[.contentType]?.hasPrefix("text/plain") == true)
                let note = try SignedNote(String(buffer: text.body))
                #expect(note.isSigned(by: verifier))
                let cp = try Checkpoint(body: note.text)
                #expect(cp.size == 4 && cp.origin == p.config.ledgerOrigin)
                let json = try HTTPTests.json(try await client.execute(uri: "/api/v1/ledger/checkpoint", method: .get, headers: [.accept: "application/json"]))
                #expect(json["size"] as? Int == 4 && json["root_hash"] as? String == Hex.encode(cp.rootHash) && json["origin"] as? String == cp.origin)
                for index in 0..<4 {
                    let entry = try HTTPTests.json(try await client.execute(uri: "/api/v1/ledger/entries/\(index)", method: .get))
                    let data = try #require((entry["data_base64"] as? String).flatMap { Data(base64Encoded: $0) })
                    #expect(entry["leaf_hash"] as? String == Hex.encode(Merkle.leafHash(Array(data))))
                    let proof = try HTTPTests.json(try await client.execute(uri: "/api/v1/ledger/proof/inclusion?index=\(index)&size=4", method: .get))
                    let path = try #require(proof["path"] as? [String]).compactMap(Hex.decode)
                    #expect(proof["root_hash"] as? String == Hex.encode(cp.rootHash))
                    #expect(Merkle.verifyInclusion(index: UInt64(index), size: 4, leafHash: Merkle.leafHash(Array(data)), proof: path, root: cp.rootHash))
                }
                // The older checkpoint is consistent with the newer one.
                let old = try Checkpoint(body: SignedNote(String(buffer: try await client.execute(uri: "/api/v1/ledger/checkpoints/3", method: .get).body)).text)
                let consistency = try HTTPTests.json(try await client.execute(uri: "/api/v1/ledger/proof/consistency?from=3&to=4", method: .get))
                let path = try #require(consistency["path"] as? [String]).compactMap(Hex.decode)
                #expect(Merkle.verifyConsistency(from: 3, to: 4, proof: path, firstRoot: old.rootHash, secondRoot: cp.rootHash))
                // Sizes beyond the log and indexes beyond the size are 422 problems.
                #expect(try await client.execute(uri: "/api/v1/ledger/proof/inclusion?index=1&size=99", method: .get).status == .unprocessableContent)
                #expect(try await client.execute(uri: "/api/v1/ledger/proof/inclusion?index=4&size=4", method: .get).status == .unprocessableContent)
                #expect(try await client.execute(uri: "/api/v1/ledger/entries/99", method: .get).status == .notFound)
            }
        }
    }
}
