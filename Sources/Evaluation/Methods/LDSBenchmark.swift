import Attribution
import Foundation

/// One line of the LDS comparison: a method under one setting and its score.
public struct LDSResult: Sendable, Codable, Equatable {
    /// Which family of method (e.g. "EK-FAC", "pixel similarity").
    public let method: String
    /// The setting that distinguishes this line within its family or sweep.
    public let setting: String
    /// Which comparison the line belongs to: "methods", "damping", "projection" or "draws".
    public let group: String
    /// The score, per sample and averaged with a bootstrap interval.
    public let score: LinearDatamodelingScore
}

/// Scores every method of the comparison and the sweeps against the ground truth.
public enum LDSBenchmark {
    /// Runs the comparison; `log` receives one line per gradient pass.
    public static func run(truth: LDSGroundTruth, settings: LDSProtocol, log: (String) -> Void) throws -> [LDSResult] {
        var results: [LDSResult] = []
        func add(_ method: String, _ setting: String, _ group: String, _ scores: [[Double]]) {
            let score = LinearDatamodelingScore(scores: scores, measurements: truth.measurements, plan: truth.plan, bootstrapSeed: settings.seed)
            results.append(LDSResult(method: method, setting: setting, group: group, score: score))
            log(String(format: "  %@ (%@): LDS %.3f", method, setting, score.interval.mean))
        }
        func gradients(projection: KroneckerProjection.Dimensions, draws: Int) throws -> InfluenceScores {
            log("gradients: projection \(projection), \(draws) draws per example")
            let gradientSettings = GradientSettings(
                projection: projection, projectionSeed: settings.seed, drawSeed: settings.seed,
                drawsPerExample: draws, queryDraws: settings.queryDraws)
            return try InfluenceScores(model: truth.fullModel, scheduler: truth.scheduler, settings: gradientSettings,
                                       images: truth.trainingImages, ids: truth.ids, samples: truth.samples)
        }
        let k = settings.projection
        let standard = Curvature.Damping.standard

        let projected = try gradients(projection: .fixed(inputs: k, outputs: k), draws: settings.drawsPerExample)
        add("EK-FAC", "projected \(k)x\(k), default", "methods", try projected.scores(mode: .ekfac, damping: standard))
        add("K-FAC", "projected \(k)x\(k)", "methods", try projected.scores(mode: .kfac, damping: standard))
        add("gradient dot product", "projected \(k)x\(k)", "methods", try projected.scores(mode: .identity, damping: standard))
        add("TRAK-style", "projected \(k)x\(k), dense Gram", "methods",
            try TRAKStyleScores(training: projected.training, queries: projected.queries).scores(relativeDamping: 0.1))

        let unprojected = try gradients(projection: .identity, draws: settings.drawsPerExample)
        add("K-FAC", "unprojected", "methods", try unprojected.scores(mode: .kfac, damping: standard))
        add("EK-FAC", "unprojected", "methods", try unprojected.scores(mode: .ekfac, damping: standard))
        add("gradient dot product", "unprojected", "methods", try unprojected.scores(mode: .identity, damping: standard))
        add("pixel similarity", "cosine", "methods",
            PixelSimilarity.scores(samples: truth.samples, trainingImages: truth.trainingImages))

        for factor in settings.dampingSweep {
            add("EK-FAC", "damping \(factor) x mean eigenvalue", "damping",
                try projected.scores(mode: .ekfac, damping: .relative(Float(factor))))
        }
        for size in settings.projectionSweep where size != k {
            let swept = try gradients(projection: .fixed(inputs: size, outputs: size), draws: settings.drawsPerExample)
            add("EK-FAC", "projected \(size)x\(size)", "projection", try swept.scores(mode: .ekfac, damping: standard))
        }
        for draws in settings.drawsSweep where draws != settings.drawsPerExample {
            let swept = try gradients(projection: .fixed(inputs: k, outputs: k), draws: draws)
            add("EK-FAC", "\(draws) draws per example", "draws", try swept.scores(mode: .ekfac, damping: standard))
        }
        return results
    }
}
