import DiffusionModel
import Foundation
import Numerics
import Testing

/// The synthetic image set is deterministic, well-formed, and has the structure attributions
/// are meant to recover: distinct classes, and contributors with distinct tastes.
@Suite struct SyntheticDataTests {
    @Test func examplesDependOnlyOnSeedAndID() throws {
        let glyphs = SyntheticGlyphs(size: 16, contributors: 8, seed: 3)
        let whole = try glyphs.shard(ids: 0..<32)
        #expect(try SyntheticGlyphs(size: 16, contributors: 8, seed: 3).shard(ids: 0..<32) == whole)
        let part = try glyphs.shard(ids: 10..<20)
        #expect(part.images.scalars == Array(whole.images.scalars[10 * 768..<20 * 768]))
        #expect(part.labels.map { Array($0) } == whole.labels.map { Array($0[10..<20]) })
        let reseeded = try SyntheticGlyphs(size: 16, contributors: 8, seed: 4).shard(ids: 0..<32)
        #expect(reseeded.images != whole.images)
    }

    @Test(arguments: [16, 32])
    func imagesAreOnTheEightBitGridInMinusOneToOne(size: Int) throws {
        let shard = try SyntheticGlyphs(size: size, contributors: 3, seed: 0).shard(ids: 0..<16)
        #expect(shard.images.shape == [16, 3, size, size])
        for value in shard.images.scalars {
            let level = (value + 1) * 127.5
            #expect(value >= -1 && value <= 1 && abs(level - level.rounded()) < 1e-3)
        }
        // A bright shape on a dark background: most pixels are dark, some are bright.
        let imageSize = 3 * size * size
        for index in 0..<16 {
            let pixels = shard.images.scalars[index * imageSize..<(index + 1) * imageSize].sorted()
            #expect(pixels[imageSize / 2] < -0.6 && (pixels.last ?? -1) > 0)
        }
    }

    @Test func writerUsesUniqueIDsAcrossTrainingAndHeldOutShards() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = SyntheticDatasetWriter(glyphs: SyntheticGlyphs(size: 8, contributors: 4, seed: 1), shards: 3, perShard: 20, heldOutShards: 2)
        let summary = try writer.write(to: folder)
        #expect(summary.files.map(\.lastPathComponent) == [
            "shard-00000.safetensors", "shard-00001.safetensors", "shard-00002.safetensors",
            "heldout-00000.safetensors", "heldout-00001.safetensors",
        ])
        #expect(summary.trainingExamples == 60 && summary.heldOutExamples == 40)
        #expect(summary.trainingExamplesPerContributor.values.reduce(0, +) == 60)
        #expect(summary.trainingExamplesPerClass.values.reduce(0, +) == 60)
        var ids: [Int64] = []
        for url in summary.files {
            let shard = try DataShard.read(contentsOf: url)
            #expect(shard.contributorNames.count == 4 && shard.classNames.count == GlyphShape.allCases.count)
            ids += shard.ids
        }
        #expect(ids == Array(0..<100))
        #expect(try DataShard.read(contentsOf: summary.files[1]) == (try writer.glyphs.shard(ids: 20..<40)))
    }

    @Test func eachContributorFavoursItsOwnShapesAndColours() throws {
        let glyphs = SyntheticGlyphs(size: 8, contributors: 8, seed: 0)
        var counts: [Int64: [Int]] = [:]
        var foregroundColour: [Int64: SIMD3<Float>] = [:]
        for id in Int64(0)..<1600 {
            let example = glyphs.example(id: id)
            counts[example.contributor, default: Array(repeating: 0, count: GlyphShape.allCases.count)][example.shape.rawValue] += 1
            for pixel in 0..<64 {
                let rgb = SIMD3(example.image[pixel], example.image[64 + pixel], example.image[128 + pixel])
                if rgb.max() > 0 { foregroundColour[example.contributor, default: .zero] += rgb + 1 }
            }
        }
        #expect(counts.count == 8)
        var mixes = Set<[Int]>()
        for profile in glyphs.profiles {
            let histogram = try #require(counts[profile.id])
            let topTwo = histogram.indices.sorted { histogram[$0] > histogram[$1] }.prefix(2)
            #expect(Set(topTwo) == Set(profile.favouriteShapes.map(\.rawValue)), "contributor \(profile.id): \(histogram)")
            mixes.insert(topTwo.sorted())
        }
        #expect(mixes.count == 8)
        for profile in glyphs.profiles {
            let colour = try #require(foregroundColour[profile.id])
            switch GlyphPalette.families[profile.colourFamily].name {
            case "warm": #expect(colour.x > 1.5 * colour.z, "contributor \(profile.id): \(colour)")
            case "cool": #expect(colour.z > 1.5 * colour.x, "contributor \(profile.id): \(colour)")
            case "green": #expect(colour.y > 1.2 * max(colour.x, colour.z), "contributor \(profile.id): \(colour)")
            default: break
            }
        }
        #expect(Set(glyphs.contributorNames.values).count == 8)
    }

    /// Rendered at the same place and size, every pair of shapes differs in many pixels.
    @Test func shapesDifferVisibly() {
        let masks = GlyphShape.allCases.map { shape in
            (0..<256).map { pixel -> Bool in
                let (x, y) = (Float(pixel % 16) + 0.5, Float(pixel / 16) + 0.5)
                return shape.contains(u: (x - 8) / 5, v: (y - 8) / 5)
            }
        }
        for first in masks.indices {
            #expect(masks[first].filter { $0 }.count >= 20, "\(GlyphShape.allCases[first]) is too small")
            for second in masks.indices where second > first {
                let differing = zip(masks[first], masks[second]).filter { $0 != $1 }.count
                #expect(differing >= 16, "\(GlyphShape.allCases[first]) vs \(GlyphShape.allCases[second]): \(differing) pixels")
            }
        }
    }

    /// Classifying images by the nearest per-class mean brightness image works far above chance.
    @Test func classMeansSeparateTheClasses() throws {
        let glyphs = SyntheticGlyphs(size: 16, contributors: 8, seed: 0)
        func brightness(_ example: SyntheticGlyphs.Example) -> [Float] {
            (0..<256).map { pixel in (0..<3).map { example.image[$0 * 256 + pixel] }.max() ?? -1 }
        }
        let classCount = GlyphShape.allCases.count
        var means = [[Float]](repeating: [Float](repeating: 0, count: 256), count: classCount)
        var counts = [Int](repeating: 0, count: classCount)
        for id in Int64(0)..<800 {
            let example = glyphs.example(id: id)
            let values = brightness(example)
            for pixel in 0..<256 { means[example.shape.rawValue][pixel] += values[pixel] }
            counts[example.shape.rawValue] += 1
        }
        for label in 0..<classCount {
            try #require(counts[label] > 0)
            means[label] = means[label].map { $0 / Float(counts[label]) }
        }
        var correct = 0
        let testIDs = Int64(10_000)..<10_400
        for id in testIDs {
            let example = glyphs.example(id: id)
            let values = brightness(example)
            let distances = means.map { mean in zip(mean, values).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            if distances.firstIndex(of: distances.min() ?? 0) == example.shape.rawValue { correct += 1 }
        }
        let accuracy = Float(correct) / Float(testIDs.count)
        #expect(accuracy > 0.45, "nearest-class-mean accuracy \(accuracy); chance is \(1 / Float(classCount))")
    }
}
