import Foundation
import Testing

extension DaemonProcesses {
    /// A configuration the daemon cannot use stops start-up at once: exit status 78
    /// (EX_CONFIG) and one message on standard error naming the file and the key at fault.
    @Suite struct BadConfiguration {
        /// A configuration file's text (`RUN` stands for an existing run folder) and the words
        /// its refusal must contain.
        struct Case: Sendable, CustomTestStringConvertible {
            let name: String
            let text: String
            let mentions: [String]

            var testDescription: String { name }
        }

        static let cases: [Case] = [
            Case(name: "unknown key", text: "[run]\ndirectory = \"RUN\"\n[socket]\npaht = \"/x.sock\"\n",
                 mentions: ["socket.paht", "socket.path"]),
            Case(name: "unknown section", text: "[run]\ndirectory = \"RUN\"\n[sockets]\npath = \"/x.sock\"\n", mentions: ["sockets"]),
            Case(name: "wrong type", text: "[run]\ndirectory = \"RUN\"\n[socket]\nmax_request_bytes = \"big\"\n",
                 mentions: ["socket.max_request_bytes"]),
            Case(name: "out of range", text: "[run]\ndirectory = \"RUN\"\n[query]\nmax_top_k = 0\n", mentions: ["query.max_top_k"]),
            Case(name: "bad mode", text: "[run]\ndirectory = \"RUN\"\n[socket]\nmode = \"rw-rw----\"\n", mentions: ["socket.mode"]),
            Case(name: "missing run.directory", text: "[store]\nprojection = 4\n", mentions: ["run.directory"]),
            Case(name: "relative run.directory", text: "[run]\ndirectory = \"training/run\"\n", mentions: ["run.directory"]),
            Case(name: "TOML syntax", text: "[run\ndirectory = \"RUN\"\n", mentions: ["syntax"]),
        ]

        @Test(.timeLimit(.minutes(2)), arguments: cases)
        func refusedWithExitStatus78NamingTheKey(_ badCase: Case) throws {
            let run = try TinyRun.make()
            defer { run.remove() }
            let config = run.root.appendingPathComponent("bad.toml")
            try Data(badCase.text.replacingOccurrences(of: "RUN", with: run.folder.path).utf8).write(to: config)
            let result = try DaemonProcess.runToExit(try DaemonProcess.executable("attributiond"), ["run", "--config", config.path], in: run.root)
            #expect(result.status == 78, "exit status \(result.status); stderr:\n\(result.errors)")
            #expect(result.errors.contains(config.path), "the message does not name the file:\n\(result.errors)")
            for word in badCase.mentions {
                #expect(result.errors.contains(word), "the message does not mention \(word):\n\(result.errors)")
            }
            #expect(!FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("attribution-store").path),
                    "a store was created for a configuration that was refused")
        }

        @Test(.timeLimit(.minutes(2)), arguments: ["missing.toml", "a-folder"])
        func anUnreadableFileIsRefusedWithExitStatus78(_ name: String) throws {
            let run = try TinyRun.make()
            defer { run.remove() }
            let config = run.root.appendingPathComponent(name)
            if name == "a-folder" { try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true) }
            let result = try DaemonProcess.runToExit(try DaemonProcess.executable("attributiond"), ["run", "--config", config.path], in: run.root)
            #expect(result.status == 78, "exit status \(result.status); stderr:\n\(result.errors)")
            #expect(result.errors.contains(config.path), "the message does not name the file:\n\(result.errors)")
        }

        @Test(.timeLimit(.minutes(2)))
        func aMissingRunDirectoryStopsStartUpWithAClearMessage() throws {
            let fixture = try DaemonFixture()
            fixture.settings.runDirectory = fixture.run.root.appendingPathComponent("no-such-run").path
            let daemon = try fixture.start()
            let (status, bySignal) = try daemon.exitStatus(within: 60)
            #expect(status != 0 && !bySignal, "exit status \(status); log:\n\(daemon.log)")
            #expect(daemon.log.contains(fixture.settings.runDirectory), "the message does not name the folder:\n\(daemon.log)")
            #expect(daemon.log.contains("run.directory"), "the message does not name the key:\n\(daemon.log)")
            #expect(!FileManager.default.fileExists(atPath: fixture.settings.socketPath), "a socket was bound for a daemon that cannot run")
        }
    }
}
