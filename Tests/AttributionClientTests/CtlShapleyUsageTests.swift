import ArgumentParser
import AttributionProtocol
import Testing
@testable import attributionctl

/// Command lines `attributionctl shapley` refuses as usage errors (exit status 2).
@Suite struct CtlShapleyUsageTests {
    @Test(arguments: [
        ["refresh", "--estimator", "bogus"],
        ["refresh", "--estimator", "auto"],
        ["refresh", "--sampling", "sobol"],
        ["refresh", "--target-se", "0"],
        ["refresh", "--target-se", "1.5"],
        ["refresh", "--target-se", "nan"],
        ["refresh", "--max-coalitions", "0"],
        ["refresh", "--property", ""],
        ["refresh", "--property", "held_out_loss", "--property", "held_out_loss"],
        ["refresh", "--timeout-wait", "60"],
        ["refresh", "--wait", "--timeout-wait", "0"],
        ["refresh", "--wait", "--timeout-wait", "-5"],
        ["get", "--step", "-1"],
        ["get", "--property", ""],
        ["get", "--estimator", "exact"],
        ["get", "--png"],
        ["get", "extra"],
        ["--max-coalitions", "3"],
    ])
    func isAUsageError(_ arguments: [String]) {
        do {
            _ = try AttributionCtl.parseAsRoot(["shapley"] + arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(AttributionCtl.exitCode(for: error) == .validationFailure, "\(arguments): \(AttributionCtl.message(for: error))")
        }
    }

    @Test func validCommandLinesParse() throws {
        let refresh = try #require(try AttributionCtl.parseAsRoot([
            "--socket", "/run/example.sock", "shapley", "refresh", "--property", "kernel_distance", "--estimator", "influence",
            "--sampling", "exact", "--target-se", "1", "--max-coalitions", "1", "--wait", "--timeout-wait", "0.5",
        ]) as? ShapleyRefreshCommand)
        #expect(refresh.properties == ["kernel_distance"] && refresh.estimator == .influence && refresh.sampling == .exact)
        #expect(refresh.targetStandardError == 1 && refresh.maxCoalitions == 1 && refresh.wait && refresh.timeoutWait == 0.5)
        #expect(refresh.global.socketPath == "/run/example.sock")
        let get = try #require(try AttributionCtl.parseAsRoot(["shapley", "get", "--step", "0", "--json"]) as? ShapleyGetCommand)
        #expect(get.step == 0 && get.global.json && get.estimator == nil && get.png == nil)
    }

    @Test func refusedOptionsNameTheAcceptedValues() {
        #expect(throws: ValidationError.self) { try ShapleyArguments.sampling("auto ") }
        #expect(ShapleyArguments.names(ShapleyEstimatorKind.self) == "sparsified_fine_tuning, retraining or influence")
        #expect(ShapleyArguments.names(ShapleySamplingKind.self) == "auto, exact, kernel or permutation")
    }
}
