import AttributionProtocol
import Testing
@testable import attributionctl

/// The text of `attributionctl shapley`: valuation tables, the job line, progress, job states.
@Suite struct CtlShapleyReportTests {
    @Test func aLossTableListsWhoLoweredItMostFirstWithShares() {
        #expect(ShapleyReport.render(CtlShapleyFixtures.loss) == """
            held_out_loss (lower is better): sparsified_fine_tuning, exact sampling, step 400, computed 2023-11-14T22:13:20Z
            F(all) 0.08, F(∅) 0.14, 16 coalitions (12 reused), SE target 5% of |F(all) − F(∅)| reached
            CONTRIBUTOR  NAME   EXAMPLES   VALUE  ± SE  SHARE
                      2  bob          50  -0.045     0  75.0%
                      1  alice        30   -0.01     0  16.7%
                      3  -            10   -0.01     0  16.7%
                      4  dora          5   0.005     0  -8.3%
            """)
    }

    @Test func aDiversityTableListsTheLargestValueFirstWithStandardErrors() {
        #expect(ShapleyReport.render(CtlShapleyFixtures.diversity) == """
            class_diversity (higher is better): retraining, kernel sampling, step 400, computed 2023-11-14T22:13:20Z
            F(all) 2, F(∅) 1.5, 40 coalitions, SE target 2.5% of |F(all) − F(∅)| not reached
            CONTRIBUTOR  NAME   EXAMPLES  VALUE  ± SE  SHARE
                      2  bob          50   0.35  0.05  70.0%
                      1  alice        30    0.1  0.02  20.0%
                      3  -            10   0.05  0.01  10.0%
            """)
    }

    @Test func valuationsAreSeparatedAndAnEmptyAnswerSaysHowToGetOne() {
        let both = ShapleyReport.render([CtlShapleyFixtures.loss, CtlShapleyFixtures.diversity])
        #expect(both == ShapleyReport.render(CtlShapleyFixtures.loss) + "\n\n" + ShapleyReport.render(CtlShapleyFixtures.diversity))
        #expect(ShapleyReport.render([]) == "no Shapley values (attributionctl shapley refresh computes them)")
    }

    @Test func sharesAreOfTheTotalChangeAndBlankWithoutOne() {
        #expect(ShapleyReport.share(-0.045, of: -0.06) == "75.0%")
        #expect(ShapleyReport.share(0.005, of: -0.06) == "-8.3%")
        #expect(ShapleyReport.share(0.1, of: 0) == "-")
        #expect(ShapleyReport.share(.nan, of: 1) == "-")
    }

    @Test func theJobLineSaysWhetherItJoinedAnotherRequest() {
        var job = CtlShapleyFixtures.job
        #expect(ShapleyReport.job(job)
                == "job 7 queued: held_out_loss, class_diversity by retraining, auto sampling, SE target 5% of |F(all) − F(∅)|")
        job.alreadyQueued = true
        #expect(ShapleyReport.job(job).hasPrefix("job 7 joined (an equal refresh was already queued or running): held_out_loss"))
    }

    @Test func progressLinesShowPhaseCoalitionsAndErrorAgainstTarget() {
        let known = CtlShapleyFixtures.progress(evaluated: 34, reused: 10, maxStandardError: 0.081)
        #expect(ShapleyReport.progress(job: 7, running: known)
                == "job 7, step 400, retraining/kernel: evaluating, 34 coalitions evaluated, 10 reused, max SE 8.1% vs target 5% of |F(all) − F(∅)|")
        let unknown = CtlShapleyFixtures.progress(phase: "preparing")
        #expect(ShapleyReport.progress(job: 7, running: unknown).contains("preparing, 0 coalitions evaluated, 0 reused, max SE not known yet"))
        #expect(ShapleyReport.progress(job: 7, waitingBehind: CtlShapleyFixtures.progress(job: 6), queued: 2) == "job 7 waiting: job 6 running, 2 queued")
        #expect(ShapleyReport.progress(job: 7, waitingBehind: nil, queued: 1) == "job 7 waiting: none running yet, 1 queued")
    }

    @Test func jobStatesFollowTheQueueOrder() {
        let mine = CtlShapleyFixtures.progress(job: 7), earlier = CtlShapleyFixtures.progress(job: 6), later = CtlShapleyFixtures.progress(job: 8)
        func state(_ status: ShapleyStatus) -> ShapleyJobState { ShapleyJobState(job: 7, status: status) }
        #expect(state(CtlShapleyFixtures.status(running: mine, queued: 3)) == .running(mine))
        #expect(state(CtlShapleyFixtures.status(running: earlier, queued: 1)) == .waiting(running: earlier, queued: 1))
        #expect(state(CtlShapleyFixtures.status(queued: 2)) == .waiting(running: nil, queued: 2))
        #expect(state(CtlShapleyFixtures.status(running: later, queued: 1)) == .finished)
        #expect(state(CtlShapleyFixtures.status()) == .finished)
        let failure = "job 7: evaluating coalition {1, 3} failed: out of memory"
        #expect(state(CtlShapleyFixtures.status(lastError: failure)) == .failed(failure))
        #expect(state(CtlShapleyFixtures.status(running: later, lastError: failure)) == .failed(failure))
        #expect(state(CtlShapleyFixtures.status(lastError: "job 71: no checkpoint")) == .finished)
        // While the job waits, an older job's error is not its failure.
        #expect(state(CtlShapleyFixtures.status(queued: 1, lastError: failure)) == .waiting(running: nil, queued: 1))
    }

    @Test func anErrorNamesAJobOnlyAsWholeWords() {
        #expect(ShapleyJobState.names(job: 12, "job 12: failed"))
        #expect(ShapleyJobState.names(job: 12, "refresh job 12 failed"))
        #expect(ShapleyJobState.names(job: 12, "failed in job 12"))
        #expect(ShapleyJobState.names(job: 12, "job 123: x; then job 12: y"))
        #expect(!ShapleyJobState.names(job: 12, "job 123: failed"))
        #expect(!ShapleyJobState.names(job: 12, "subjob 12: failed"))
        #expect(!ShapleyJobState.names(job: 2, "job 12: failed"))
    }
}
