import AttributionStore
import Logging
import Numerics
import Synchronization

extension ProbeMonitor {
    /// Notes `steps` for re-attribution and queues the job unless one is queued already.
    /// - Parameter everyProbe: Re-attribute every probe there (a checkpoint just finished
    ///   indexing, possibly again), rather than only probes whose history ends before the step.
    func note(steps: [Int], everyProbe: Bool) {
        let queue = pending.withLock { state -> Bool in
            guard !state.stopped, !steps.isEmpty else { return false }
            for step in steps { state.steps[step] = everyProbe || (state.steps[step] ?? false) }
            guard !state.jobQueued else { return false }
            state.jobQueued = true
            return true
        }
        if queue { queueJob() }
    }

    /// Queues the job that takes one pending step on the query thread.
    private func queueJob() {
        let queued = queries.performInBackground { [self] attributor in reattributeNextStep(with: attributor) }
        // A stopping query service runs nothing more; the steps are caught up at the next start.
        if !queued { pending.withLock { $0.jobQueued = false } }
    }

    /// Re-attributes the probes at the earliest pending step, then queues itself again while
    /// steps remain (behind the requests that arrived meanwhile).
    private func reattributeNextStep(with attributor: CachedAttributor) {
        let next = pending.withLock { state -> (step: Int, everyProbe: Bool)? in
            guard let step = state.steps.keys.min(), let everyProbe = state.steps.removeValue(forKey: step) else {
                state.jobQueued = false
                return nil
            }
            return (step, everyProbe)
        }
        guard let next else { return }
        reattribute(step: next.step, everyProbe: next.everyProbe, with: attributor)
        let more = pending.withLock { state -> Bool in
            guard !state.steps.isEmpty, !state.stopped else {
                state.jobQueued = false
                return false
            }
            return true
        }
        if more { queueJob() }
    }

    /// Attributes the probes at `step` and stores their history entries in one short write;
    /// a probe removed (or replaced) meanwhile gets none. Failures are logged, not thrown: the
    /// monitor runs in the background.
    func reattribute(step: Int, everyProbe: Bool, with attributor: CachedAttributor) {
        do {
            guard try attributor.indexedSteps().contains(step) else { return }  // retired or failed since it was noted
            let probes = try store.read { transaction in
                try store.probes(in: transaction).map { ($0, try store.lastProbeHistoryStep(named: $0.name, in: transaction)) }
            }
            var entries: [(probe: ProbeRecord, history: ProbeHistoryRecord)] = []
            for (probe, last) in probes where everyProbe || last.map({ UInt64(step) > $0 }) ?? true {
                do {
                    let payload = try attribute(samples: Tensor(shape: probe.shape, scalars: probe.values), topK: probe.topK, step: step,
                                                with: attributor)
                    entries.append((probe, ProbeHistoryRecord(name: probe.name, step: UInt64(step), recordedAt: .now(), payload: payload)))
                } catch {
                    logger.warning("probe not attributed", metadata: ["probe": "\(probe.name)", "step": "\(step)", "error": "\(error)"])
                }
            }
            guard !entries.isEmpty else { return }
            try store.write { transaction in
                for entry in entries where try store.probe(named: entry.probe.name, in: transaction)?.addedAt == entry.probe.addedAt {
                    try store.putProbeHistory(entry.history, in: transaction)
                }
            }
            logger.info("probes re-attributed", metadata: ["step": "\(step)", "probes": "\(entries.count)"])
        } catch {
            logger.error("probe re-attribution failed", metadata: ["step": "\(step)", "error": "\(error)"])
        }
    }
}
