@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import Foundation
import Testing

/// What makes stored coalition values stale, and the valuation thread's lower priority.
@Suite struct ShapleyFingerprintTests {
    static func fingerprints(step: Int = 2, data: String = "shards=a", heldOut: String = "heldout=h",
                             configuration: DaemonConfiguration.Shapley = DaemonConfiguration.Shapley()) -> GameFingerprints {
        GameFingerprints(step: step, data: data, model: "model=m", propertySettings: ["held_out_loss": heldOut, "class_diversity": "c"],
                         configuration: configuration)
    }

    @Test func retrainingGamesOutliveCheckpointsAndFineTuningGamesDoNot() {
        let properties = ["held_out_loss"]
        let (earlier, later) = (Self.fingerprints(step: 1), Self.fingerprints(step: 2))
        #expect(earlier.fingerprint(.retraining, properties: properties) == later.fingerprint(.retraining, properties: properties))
        #expect(earlier.fingerprint(.sparsifiedFineTuning, properties: properties)
            != later.fingerprint(.sparsifiedFineTuning, properties: properties))
        #expect(earlier.prunedModel != later.prunedModel)
        for kind in CoalitionGameKind.allCases {
            let base = later.fingerprint(kind, properties: properties)
            #expect(Self.fingerprints(data: "shards=b").fingerprint(kind, properties: properties) != base)
            #expect(Self.fingerprints(heldOut: "heldout=k").fingerprint(kind, properties: properties) != base)
            #expect(later.fingerprint(kind, properties: ["class_diversity"]) != base)
            var seeded = DaemonConfiguration.Shapley()
            seeded.seed = 1
            #expect(Self.fingerprints(configuration: seeded).fingerprint(kind, properties: properties) != base)
            // A request default is no game setting.
            var target = DaemonConfiguration.Shapley()
            target.targetStandardError = 0.5
            #expect(Self.fingerprints(configuration: target).fingerprint(kind, properties: properties) == base)
        }
        var coalition = DaemonConfiguration.Shapley()
        coalition.coalitionSteps = 1
        #expect(Self.fingerprints(configuration: coalition).fingerprint(.retraining, properties: properties)
            == later.fingerprint(.retraining, properties: properties))
        #expect(Self.fingerprints(configuration: coalition).fingerprint(.sparsifiedFineTuning, properties: properties)
            != later.fingerprint(.sparsifiedFineTuning, properties: properties))
    }

    @Test func aGameIsCurrentOnlyWithItsOwnFingerprint() {
        let fingerprints = Self.fingerprints()
        func game(_ estimator: String, _ fingerprint: String) -> ShapleyGameRecord {
            ShapleyGameRecord(fingerprint: fingerprint, estimator: estimator, step: 2, players: [0, 1], properties: ["held_out_loss"],
                              createdAt: .now(), updatedAt: .now(), samplerStates: [])
        }
        let current = fingerprints.fingerprint(.retraining, properties: ["held_out_loss"])
        #expect(fingerprints.isCurrent(game("retraining", current)))
        #expect(!fingerprints.isCurrent(game("sparsified_fine_tuning", current)))
        #expect(!fingerprints.isCurrent(game("retraining", Self.fingerprints(step: 3, data: "shards=b")
            .fingerprint(.retraining, properties: ["held_out_loss"]))))
        #expect(!fingerprints.isCurrent(game("influence", current)))
    }

    @Test func theValuationThreadRunsAtALowerPriority() async {
        let before = ValuationThreadPriority.currentNiceValue()
        let (failure, nice) = await withCheckedContinuation { (continuation: CheckedContinuation<(String?, Int32?), Never>) in
            Thread.detachNewThread {
                let failure = ValuationThreadPriority.lowerCurrentThread()
                continuation.resume(returning: (failure, ValuationThreadPriority.currentNiceValue()))
            }
        }
        #expect(failure == nil)
        let expected = before.map { min(ValuationThreadPriority.maximumNiceValue, $0 + ValuationThreadPriority.niceIncrement) }
        #expect(nice != nil && nice == expected)
        #expect(ValuationThreadPriority.currentNiceValue() == before, "only the valuation thread's priority changes")
    }
}
