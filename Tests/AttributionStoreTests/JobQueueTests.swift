import AttributionStore
import LMDB
import Testing

@Suite struct JobQueueTests {
    @Test func jobsAreTakenInOrderCompletedAndFailed() throws {
        try StoreFixture.withStore { store in
            let queued = try store.write { transaction in
                [
                    try store.enqueueJob(.indexShard, step: 100, shard: 0, in: transaction),
                    try store.enqueueJob(.indexShard, step: 100, shard: 1, in: transaction),
                    try store.enqueueJob(.finishCheckpoint, step: 100, in: transaction),
                ]
            }
            #expect(queued.map(\.sequence) == [1, 2, 3])
            let first = try store.write { try store.dequeueNextJob(in: $0) }
            #expect(first?.sequence == 1 && first?.state == .running && first?.attempts == 1)
            let second = try store.write { try store.dequeueNextJob(in: $0) }
            #expect(second?.sequence == 2)
            try store.write { transaction in
                try store.completeJob(sequence: 1, in: transaction)
                let retried = try store.failJob(sequence: 2, error: "shard unreadable", retry: true, in: transaction)
                #expect(retried.state == .pending && retried.lastError == "shard unreadable")
            }
            let again = try store.write { try store.dequeueNextJob(in: $0) }
            #expect(again?.sequence == 2 && again?.attempts == 2)
            try store.write { transaction in
                try store.failJob(sequence: 2, error: "gave up", retry: false, in: transaction)
                #expect(try store.dequeueNextJob(in: transaction)?.kind == .finishCheckpoint)
                #expect(try store.dequeueNextJob(in: transaction) == nil)
            }
            let missing = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.completeJob(sequence: 1, in: $0) }
            }
            #expect(missing == .jobNotFound(sequence: 1))
            let summary = try store.read { try store.summary(in: $0) }
            #expect(summary.openJobs == 1 && summary.failedJobs == 1)
        }
    }

    @Test func sequenceNumbersAreNotReusedAfterTheLastJobCompletes() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                let job = try store.enqueueJob(.finishCheckpoint, step: 1, in: transaction)
                try store.completeJob(sequence: job.sequence, in: transaction)
                try store.enqueueJob(.finishCheckpoint, step: 2, in: transaction)
            }
            let jobs = try store.read { try store.jobs(in: $0) }
            #expect(jobs.map(\.sequence) == [2])
            #expect(jobs.map(\.step) == [2])
        }
    }

    @Test func jobsInterruptedByACrashAreRequeued() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                try store.enqueueJob(.indexShard, step: 5, shard: 2, in: transaction)
                try store.enqueueJob(.indexShard, step: 5, shard: 3, in: transaction)
                _ = try store.dequeueNextJob(in: transaction)
            }
            let requeued = try store.write { try store.requeueInterruptedJobs(in: $0) }
            #expect(requeued == 1)
            let states = try store.read { try store.jobs(in: $0).map(\.state) }
            #expect(states == [.pending, .pending])
        }
    }
}
