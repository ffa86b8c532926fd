import Foundation

extension Array {
    /// Consecutive slices of at most `size` elements.
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Array where Element: Sendable {
    /// `map` over a large array split across the processors (CPU-bound work only: hashing). In four
    /// parts per processor, so that a processor the database's reader thread shares does not hold
    /// the others up at the end (one part each left one idle for part of every audit batch).
    public func concurrentMap<T: Sendable>(_ transform: @escaping @Sendable (Element) -> T) async -> [T] {
        let parts = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount * 4, count / 500))
        guard parts > 1 else { return map(transform) }
        let chunks = chunked((count + parts - 1) / parts)
        return await withTaskGroup(of: (Int, [T]).self) { group in
            for (i, chunk) in chunks.enumerated() { group.addTask { (i, chunk.map(transform)) } }
            var results = [[T]](repeating: [], count: chunks.count)
            for await (i, r) in group { results[i] = r }
            return results.flatMap { $0 }
        }
    }
}
