import AttributionStore
import LMDB
import Testing

/// Shapley refreshes wait in a FIFO whose numbers keep increasing across reopening the store.
@Suite struct ShapleyJobQueueTests {
    @discardableResult
    static func enqueue(_ store: AttributionStore, estimator: String = "retraining", maxCoalitions: Int? = nil) throws -> ShapleyJobRecord {
        try store.write { transaction in
            try store.enqueueShapleyJob(
                properties: ["held_out_loss", "class_diversity"], estimator: estimator, sampling: "auto", targetStandardError: 0.1,
                maxCoalitions: maxCoalitions, requestedAt: ShapleyFixtures.time, in: transaction
            )
        }
    }

    @Test func jobsAreTakenOldestFirstFailedAndRemoved() throws {
        try StoreFixture.withStore { store in
            let first = try Self.enqueue(store, maxCoalitions: 64)
            try Self.enqueue(store, estimator: "influence")
            try Self.enqueue(store, estimator: "sparsified_fine_tuning")
            #expect(first == ShapleyFixtures.job(number: 1, state: .queued, maxCoalitions: 64, error: nil))
            #expect(try store.read { try store.shapleyJobs(in: $0) }.map(\.number) == [1, 2, 3])
            #expect(try store.read { try store.oldestQueuedShapleyJob(in: $0) } == first)

            let taken = try store.write { try store.takeOldestQueuedShapleyJob(in: $0) }
            #expect(taken?.number == 1 && taken?.state == .running)
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.oldestQueuedShapleyJob(in: transaction)?.number == 2)
                #expect(try store.shapleyJobCount(in: transaction) == 3)
                #expect(try store.shapleyJobCount(state: .queued, in: transaction) == 2)
                #expect(try store.shapleyJobCount(state: .running, in: transaction) == 1)
            }
            let failed = try store.write { try store.failShapleyJob(number: 1, error: "recovery diverged", in: $0) }
            #expect(failed.state == .failed && failed.lastError == "recovery diverged")
            #expect(try store.write { try store.takeOldestQueuedShapleyJob(in: $0) }?.estimator == "influence")
            try store.write { transaction in
                try store.removeShapleyJob(number: 2, in: transaction)
                var third = try #require(try store.shapleyJob(number: 3, in: transaction))
                third.targetStandardError = 0.02
                try store.updateShapleyJob(third, in: transaction)
            }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.shapleyJobs(in: transaction).map(\.number) == [1, 3])
                #expect(try store.shapleyJob(number: 3, in: transaction)?.targetStandardError == 0.02)
                #expect(try store.shapleyJob(number: 2, in: transaction) == nil)
                #expect(try store.shapleyJobCount(state: .failed, in: transaction) == 1)
            }
            #expect(try store.write { try store.takeOldestQueuedShapleyJob(in: $0) }?.number == 3)
            #expect(try store.write { try store.takeOldestQueuedShapleyJob(in: $0) } == nil)
        }
    }

    @Test func aRemovedJobIsNotFoundAndNotBroughtBack() throws {
        try StoreFixture.withStore { store in
            let job = try Self.enqueue(store)
            try store.write { try store.removeShapleyJob(number: job.number, in: $0) }
            let remove = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.removeShapleyJob(number: job.number, in: $0) }
            }
            #expect(remove == .shapleyJobNotFound(number: 1))
            #expect(remove?.description == "no Shapley refresh job number 1 is in the queue")
            let update = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.updateShapleyJob(job, in: $0) }
            }
            #expect(update == .shapleyJobNotFound(number: 1))
            let fail = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.failShapleyJob(number: 1, error: "x", in: $0) }
            }
            #expect(fail == .shapleyJobNotFound(number: 1))
            #expect(try store.read { try store.shapleyJobs(in: $0) }.isEmpty)
        }
    }

    @Test func interruptedJobsAreRequeuedInPlace() throws {
        try StoreFixture.withStore { store in
            for _ in 0..<3 { try Self.enqueue(store) }
            try store.write { transaction in
                _ = try store.takeOldestQueuedShapleyJob(in: transaction)
                _ = try store.takeOldestQueuedShapleyJob(in: transaction)
                try store.failShapleyJob(number: 2, error: "out of memory", in: transaction)
            }
            #expect(try store.write { try store.requeueInterruptedShapleyJobs(in: $0) } == 1)
            let jobs = try store.read { try store.shapleyJobs(in: $0) }
            #expect(jobs.map(\.state) == [.queued, .failed, .queued])
            #expect(try store.write { try store.takeOldestQueuedShapleyJob(in: $0) }?.number == 1)
        }
    }

    @Test func numbersIncreaseAcrossReopeningAndApartFromIndexingJobs() throws {
        try StoreFixture.withDirectory { path in
            do {
                let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
                try Self.enqueue(store)
                let second = try Self.enqueue(store)
                try store.write { transaction in
                    try store.enqueueJob(.finishCheckpoint, step: 10, in: transaction)
                    try store.removeShapleyJob(number: 1, in: transaction)
                    try store.removeShapleyJob(number: second.number, in: transaction)
                }
            }
            let reopened = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
            #expect(try reopened.read { try reopened.shapleyJobs(in: $0) }.isEmpty)
            #expect(try Self.enqueue(reopened).number == 3)
            #expect(try reopened.read { try reopened.jobs(in: $0) }.map(\.sequence) == [1])
        }
    }
}
