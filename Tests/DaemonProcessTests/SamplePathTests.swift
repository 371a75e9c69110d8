import AttributionClient
import AttributionProtocol
import DiffusionModel
import Foundation
import SafeTensors
import Testing

extension DaemonProcesses {
    /// `attribute` by path reads only files that, with `..` and symbolic links resolved, lie in
    /// a configured sample directory; any other path gets -32003 and is never opened.
    @Suite struct SamplePaths {
        @Test(.timeLimit(.minutes(4)))
        func onlyFilesInsideTheAllowedDirectoriesAreRead() throws {
            let fixture = try DaemonFixture()
            let root = fixture.run.root
            let allowed = root.appendingPathComponent("samples"), outside = root.appendingPathComponent("outside")
            let lookalike = root.appendingPathComponent("samples-evil")
            for folder in [allowed, outside, lookalike] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
            fixture.settings.allowedSampleDirectories = [allowed.path]

            let png = allowed.appendingPathComponent("sample.png")
            try PNGWriter.write(RGBImage(width: 8, height: 8, pixels: (0..<192).map { UInt8(($0 * 37) % 256) }), to: png)
            let tensorFile = allowed.appendingPathComponent("sample.safetensors")
            var writer = SafeTensorsWriter()
            writer.add("samples", float32: TinyRun.inlineSamples(count: 2), shape: [2] + TinyRun.imageShape)
            try writer.write(to: tensorFile)
            // A named pipe outside: opening it for reading would block until a writer comes, so
            // a daemon that tried to read it would hang the request and hold the pipe open.
            let trap = outside.appendingPathComponent("secret.png")
            #expect(mkfifo(trap.path, 0o644) == 0)
            try FileManager.default.copyItem(at: png, to: lookalike.appendingPathComponent("sample.png"))
            try FileManager.default.createSymbolicLink(atPath: allowed.appendingPathComponent("escape.png").path, withDestinationPath: trap.path)
            try FileManager.default.createSymbolicLink(atPath: allowed.appendingPathComponent("outside-folder").path, withDestinationPath: outside.path)
            try FileManager.default.createSymbolicLink(atPath: allowed.appendingPathComponent("inner.png").path, withDestinationPath: png.path)

            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)

            let refused = [
                trap.path,
                "\(allowed.path)/../outside/secret.png",
                "\(allowed.path)/escape.png",
                "\(allowed.path)/outside-folder/secret.png",
                lookalike.appendingPathComponent("sample.png").path,
                "samples/sample.png",
                "/etc/passwd",
            ]
            for path in refused {
                #expect(try code { try fixture.client(seconds: 30).attribute(paths: [path], topK: 2) } == -32003, "\(path) was not refused")
            }
            // One bad path refuses the whole request, good paths around it included.
            #expect(try code { try fixture.client(seconds: 30).attribute(paths: [png.path, trap.path], topK: 2) } == -32003)
            // Opening a pipe for writing without blocking fails with ENXIO while no one has it open for reading.
            let probe = open(trap.path, O_WRONLY | O_NONBLOCK)
            let openError = errno
            if probe >= 0 { close(probe) }
            #expect(probe < 0 && openError == ENXIO, "the daemon has the pipe outside the sample directories open")

            // Inside: a missing file is unreadable, real files (through an inner link too) are read.
            #expect(try code { try fixture.client().attribute(paths: [allowed.appendingPathComponent("missing.png").path], topK: 2) } == -32004)
            let result = try fixture.client().attribute(paths: [png.path, tensorFile.path, allowed.appendingPathComponent("inner.png").path], topK: 2)
            #expect(result.samples.count == 4 && result.examplesScored == ids.count)
        }
    }
}
