@testable import AttributionDaemon
import AttributionProtocol
import DiffusionModel
import Foundation
import Testing

/// Sample paths are read only inside the allowed directories, whatever links or `..` they use.
@Suite struct MethodsSamplePathTests {
    /// An allowed directory with a sample file, a corrupt file, a sub-directory and a link to a
    /// sample file in a directory that is not allowed.
    struct Layout {
        let root: URL
        var allowed: URL { root.appendingPathComponent("allowed") }
        var outside: URL { root.appendingPathComponent("outside") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("methods-paths-\(UUID().uuidString)")
            for folder in ["allowed/sub", "outside"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let samples = MethodsTestRun.samples(count: 2, seed: 4)
            for folder in [allowed, outside] {
                try DataShard(images: samples, ids: [0, 1]).write(to: folder.appendingPathComponent("samples.safetensors"), asUInt8: false)
            }
            try Data("not a safetensors file".utf8).write(to: allowed.appendingPathComponent("corrupt.safetensors"))
            try FileManager.default.createSymbolicLink(atPath: allowed.appendingPathComponent("escape.safetensors").path,
                                                       withDestinationPath: outside.appendingPathComponent("samples.safetensors").path)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func pathsAreSandboxed() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        let limits = MethodsServices.limits(allowed: [layout.allowed.path])
        try await MethodsServices.withShared(limits: limits) { services, _ in
            let allowed = layout.allowed.path, outside = layout.outside.path
            let cases: [(path: String, code: JSONRPCErrorCode?)] = [
                ("samples.safetensors", .pathNotAllowed),
                ("\(outside)/samples.safetensors", .pathNotAllowed),
                ("\(allowed)/escape.safetensors", .pathNotAllowed),
                ("\(allowed)/../outside/samples.safetensors", .pathNotAllowed),
                ("\(allowed)/sub/../../outside/samples.safetensors", .pathNotAllowed),
                ("/etc/passwd", .pathNotAllowed),
                ("\(outside)/missing.safetensors", .pathNotAllowed),
                ("\(allowed)/missing.safetensors", .unreadableFile),
                ("\(allowed)/corrupt.safetensors", .unreadableFile),
                ("\(allowed)/sub", .unreadableFile),
                ("\(allowed)/sub/../samples.safetensors", nil),
            ]
            for (path, expected) in cases {
                let response = try await services.call(.attribute, AttributeParams(paths: [path]), as: AttributeResult.self)
                #expect(response.error?.knownCode == expected, "\(path): \(String(describing: response.error))")
                #expect((response.result != nil) == (expected == nil), "\(path)")
            }
        }
    }

    @Test func aFileAnswersLikeTheSameSamplesInline() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try await MethodsServices.withShared(limits: MethodsServices.limits(allowed: [layout.allowed.path])) { services, _ in
            let path = layout.allowed.appendingPathComponent("samples.safetensors").path
            let byFile = try #require(try await services.call(.attribute, AttributeParams(paths: [path]), as: AttributeResult.self).result)
            let inline = try #require(try await services.call(.attribute, AttributeParams(MethodsTestRun.samples(count: 2, seed: 4)),
                                                             as: AttributeResult.self).result)
            #expect(byFile == inline)
            let twice = try #require(try await services.call(.attribute, AttributeParams(paths: [path, path]), as: AttributeResult.self).result)
            #expect(twice.samples.count == 4)
        }
    }

    @Test func noAllowedDirectoryRefusesEveryPath() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try await MethodsServices.withShared { services, _ in
            let error = try #require(try await services.call(.attribute, AttributeParams(paths: [layout.allowed.path + "/samples.safetensors"])).error)
            #expect(error.knownCode == .pathNotAllowed)
        }
    }

    @Test func filesHoldingTooManyImagesAreRefused() async throws {
        let layout = try Layout()
        defer { layout.remove() }
        try await MethodsServices.withShared(limits: MethodsServices.limits(maxSamples: 3, allowed: [layout.allowed.path])) { services, _ in
            let path = layout.allowed.appendingPathComponent("samples.safetensors").path
            let error = try #require(try await services.call(.attribute, AttributeParams(paths: [path, path])).error)
            #expect(error.knownCode == .invalidParams && error.data?.reason.contains("at most 3") == true)
        }
    }
}
