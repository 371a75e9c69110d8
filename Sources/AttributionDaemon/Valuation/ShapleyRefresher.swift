import AttributionProtocol
import AttributionStore
import ContributorValuation
import DiffusionModel
import Foundation
import Indexing
import Logging
import ModelProperties

/// Runs refresh jobs on the valuation thread: reads the newest indexed checkpoint and the run's
/// data, builds the properties, then values the contributors with the job's estimator.
///
/// Lives on the valuation thread and keeps, between jobs, the attributor the influence
/// estimator queries through (its models and curvature are cached); not `Sendable`.
final class ShapleyRefresher {
    let context: RefreshContext
    /// The influence estimator's attributor, made on first use.
    var attributor: CachedAttributor?

    /// A refresher reading `context`.
    init(context: RefreshContext) {
        self.context = context
    }

    /// Everything a refresh's estimator works with, prepared once.
    struct Preparation {
        let step: Int
        let checkpoint: Checkpoint
        let data: ValuationData
        let partition: ContributorPartition
        let suite: PropertySuite
        let fingerprints: GameFingerprints
        let progress: RefreshProgress
    }

    /// Runs `request` (job `job`) to completion or until `control` asks it to stop.
    func perform(_ request: RefreshRequest, job: UInt64, control: RefreshControl) throws(ShapleyRefreshError) -> RefreshOutcome {
        let prepared = try prepare(request, job: job, control: control)
        context.logger.info("Shapley refresh started", metadata: [
            "job": "\(job)", "step": "\(prepared.step)", "estimator": "\(request.estimator.rawValue)",
            "contributors": "\(prepared.partition.count)", "examples": "\(prepared.data.ids.count)",
        ])
        // A stop that came while preparing (pruning can take minutes) ends the refresh before any coalition.
        if control.shouldStop() { return .interrupted(coalitionsEvaluated: 0) }
        guard let kind = CoalitionGameKind(request.estimator) else { return .completed(try valueByInfluence(request, prepared)) }
        return try valueByCoalitions(kind, request, prepared, control: control)
    }

    /// Deletes pruned models other than `fileName` (and leftovers of interrupted writes).
    func removeStalePrunedModels(keeping fileName: String) {
        PrunedModelFiles(folder: context.prunedModelFolder, logger: context.logger).removeAll(except: fileName)
    }

    private func prepare(_ request: RefreshRequest, job: UInt64, control: RefreshControl) throws(ShapleyRefreshError) -> Preparation {
        let step = try latestIndexedStep()
        let progress = RefreshProgress(job: job, request: request, step: step, startedAt: Date(), control: control)
        progress.report(.preparing)
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.load(context.run.checkpointFolder(step: step)) } catch {
            throw .unreadableCheckpoint(step: step, reason: "\(error)")
        }
        let configuration = context.configuration
        let readHeldOut = request.properties.contains { $0 != ShapleyPropertyName.classDiversity }
        let data = try ValuationData.load(run: context.run, store: context.store, heldOutLimit: configuration.heldOutImages,
                                          readHeldOut: readHeldOut)
        let suite = try PropertySuiteBuilder.build(properties: request.properties, data: data, scheduler: checkpoint.schedulerConfig,
                                                   configuration: configuration)
        // Every property's settings, so games of other property sets are judged current correctly.
        let settings = Dictionary(uniqueKeysWithValues: ShapleyPropertyName.all.map { name in
            (name, PropertySuiteBuilder.settings(of: name, data: data, configuration: configuration))
        })
        let fingerprints = GameFingerprints(
            step: step, data: data.fingerprint,
            model: GameFingerprints.describe(config: checkpoint.samplingModel.config, scheduler: checkpoint.schedulerConfig),
            propertySettings: settings, configuration: configuration)
        return Preparation(step: step, checkpoint: checkpoint, data: data,
                           partition: ContributorPartition(contributorOfExample: data.contributors), suite: suite,
                           fingerprints: fingerprints, progress: progress)
    }

    private func latestIndexedStep() throws(ShapleyRefreshError) -> Int {
        let steps: [Int]
        do {
            steps = try context.store.read { transaction in
                try context.store.checkpoints(in: transaction).filter { $0.status == .indexed }.map { Int($0.step) }
            }
        } catch {
            throw .store("\(error)")
        }
        guard let latest = steps.max() else { throw .nothingIndexed }
        return latest
    }
}
