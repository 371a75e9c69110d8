import AttributionProtocol
import Foundation
import Indexing
import Numerics

/// A request's samples, checked as far as possible before queueing: inline values decoded, or
/// sample files resolved inside the allowed directories (read later, on the query thread).
enum SampleInput: Sendable {
    /// Images `[Q, C, H, W]` sent inline.
    case inline(Tensor)
    /// Files to read, resolved and allowed.
    case files([URL])

    /// The most values one inline image may have (a bound far above the models here, which also
    /// keeps byte counts from overflowing).
    static let largestImageElements = 1 << 24

    /// The samples of a request giving `samples` or `paths` (exactly one).
    ///
    /// - Throws: `invalidParams` for both or neither, a bad shape, more than `maxSamples` images,
    ///   undecodable or non-finite values or values outside [-1, 1]; the path policy's errors.
    init(samples: SampleTensor?, paths: [String]?, maxSamples: Int, policy: SamplePathPolicy) throws(JSONRPCError) {
        switch (samples, paths) {
        case (let samples?, nil):
            guard samples.shape.count == 3 || samples.shape.count == 4 else {
                throw JSONRPCError(.invalidParams, reason: "samples.shape must be [Q, C, H, W] or [C, H, W], got \(samples.shape)")
            }
            let shape = samples.batchShape
            guard shape[0] <= maxSamples else {
                throw JSONRPCError(.invalidParams, reason: "samples hold \(shape[0]) images; a request may have at most \(maxSamples)")
            }
            let values = try samples.values(maximumElements: maxSamples * Self.largestImageElements)
            if let bad = values.firstIndex(where: { abs($0) > 1.0001 }) {
                throw JSONRPCError(.invalidParams, reason: "samples.data has a value outside [-1, 1] (\(values[bad])) at index \(bad)")
            }
            self = .inline(Tensor(shape: shape, scalars: values.map { min(max($0, -1), 1) }))
        case (nil, let paths?):
            guard !paths.isEmpty else { throw JSONRPCError(.invalidParams, reason: "paths is empty") }
            guard paths.count <= maxSamples else {
                throw JSONRPCError(.invalidParams, reason: "\(paths.count) paths; a request may have at most \(maxSamples) samples")
            }
            var urls: [URL] = []
            for path in paths { urls.append(try policy.resolve(path)) }
            self = .files(urls)
        case (nil, nil):
            throw JSONRPCError(.invalidParams, reason: "give the samples inline (samples) or by file (paths)")
        case (.some, .some):
            throw JSONRPCError(.invalidParams, reason: "give either samples or paths, not both")
        }
    }

    /// The images `[Q, C, H, W]`, reading files now (call on the query thread).
    ///
    /// - Throws: ``QueryError`` for an unreadable file, images of mixed shapes or more than
    ///   `maxSamples` images in all.
    func load(maxSamples: Int) throws(QueryError) -> Tensor {
        switch self {
        case .inline(let tensor):
            return tensor
        case .files(let urls):
            var parts: [Tensor] = []
            var count = 0
            for url in urls {
                let part: Tensor
                do { part = try QuerySamples.load(contentsOf: url) } catch {
                    throw .sampleFileUnreadable(path: url.path, reason: "\(error)")
                }
                count += part.shape[0]
                guard count <= maxSamples else { throw .tooManySamples(count: count, limit: maxSamples) }
                if let first = parts.first, first.shape.dropFirst() != part.shape.dropFirst() {
                    throw .mixedSampleShapes(first: Array(first.shape.dropFirst()), other: Array(part.shape.dropFirst()))
                }
                parts.append(part)
            }
            // `files` holds at least one path, so `parts` at least one tensor.
            let imageShape = parts.first.map { Array($0.shape.dropFirst()) } ?? []
            return Tensor(shape: [count] + imageShape, scalars: parts.flatMap(\.scalars))
        }
    }
}
