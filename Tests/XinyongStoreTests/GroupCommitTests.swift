import Synchronization
import Testing
@testable import XinyongStore

/// The check log's group commit, on its own: every item is written once, each caller gets its own result, a failed write fails exactly the items in it, and callers that
/// arrive during a write share the next one.
@Suite("Group commit")
struct GroupCommitTests {
    /// A write that records its batches and answers each item with its double; it fails a batch
    /// holding `failing`, and waits a little so that callers pile up behind it.
    final class Disk: Sendable {
        let batches = Mutex<[[Int]]>([])
        let failing: Int?
        init(failing: Int? = nil) { self.failing = failing }

        func write(_ items: [Int]) async throws -> [Int] {
            try await Task.sleep(for: .milliseconds(5))
            batches.withLock { $0.append(items) }
            if let failing, items.contains(failing) { throw Failed() }
            return items.map { $0 * 2 }
        }
    }
    struct Failed: Error {}

    @Test func aLoneItemIsWrittenByItsCaller() async throws {
        let commit = GroupCommit<Int, Int>()
        let disk = Disk()
        #expect(try await commit.submit(7, write: disk.write) == 14)
        #expect(try await commit.submit(8, write: disk.write) == 16)
        #expect(disk.batches.withLock { $0 } == [[7], [8]])
    }

    @Test func concurrentItemsShareWritesAndEachGetsItsOwnResult() async throws {
        let commit = GroupCommit<Int, Int>(limit: 16)
        let disk = Disk()
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 1...100 { group.addTask { (i, try await commit.submit(i, write: disk.write)) } }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 100 && results.allSatisfy { $0.value == $0.key * 2 })
        let batches = disk.batches.withLock { $0 }
        #expect(batches.flatMap { $0 }.sorted() == Array(1...100))   // each item once
        #expect(batches.count < 100 && batches.allSatisfy { $0.count <= 16 })   // shared, within the limit
    }

    @Test func aFailedWriteFailsItsItemsOnlyAndTheNextWriteGoesOn() async throws {
        let commit = GroupCommit<Int, Int>(limit: 4)
        let disk = Disk(failing: 13)
        let outcomes = await withTaskGroup(of: (Int, Int?).self) { group in
            for i in 1...40 { group.addTask { (i, try? await commit.submit(i, write: disk.write)) } }
            return await group.reduce(into: [Int: Int?]()) { $0[$1.0] = $1.1 }
        }
        let batches = disk.batches.withLock { $0 }
        let failedBatch = try #require(batches.first { $0.contains(13) })
        for i in 1...40 {
            if failedBatch.contains(i) {
                #expect(outcomes[i]! == nil, "item \(i) was in the failed write")
            } else {
                #expect(outcomes[i]! == i * 2, "item \(i) was written by another write")
            }
        }
        #expect(batches.flatMap { $0 }.sorted() == Array(1...40))
        // Nothing is left waiting: a later item is written at once.
        #expect(try await commit.submit(99, write: disk.write) == 198)
    }
}
