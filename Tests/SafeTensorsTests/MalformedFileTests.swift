import SafeTensors
import Testing

/// Every way a file can be malformed is reported as the matching `SafeTensorsError`.
@Suite struct MalformedFileTests {
    private func open(_ bytes: [UInt8]) throws(SafeTensorsError) -> SafeTensorsFile {
        try SafeTensorsFile(bytes: bytes)
    }

    private func open(header: String, data: [UInt8] = []) throws(SafeTensorsError) -> SafeTensorsFile {
        try SafeTensorsFile(bytes: FileBytes.file(header: header, data: data))
    }

    private func f32(_ name: String, shape: String = "[2]", offsets: String) -> String {
        #""\#(name)":{"dtype":"F32","shape":\#(shape),"data_offsets":\#(offsets)}"#
    }

    @Test func tooShortForTheHeaderLength() {
        #expect(throws: SafeTensorsError.fileTooShort(byteCount: 0)) { try open([]) }
        #expect(throws: SafeTensorsError.fileTooShort(byteCount: 7)) { try open([2, 0, 0, 0, 0, 0, 0]) }
    }

    @Test func headerLengthBeyondTheFileOrAbsurd() {
        #expect(throws: SafeTensorsError.headerBeyondFile(declaredLength: 100, availableBytes: 2)) {
            try open(FileBytes.file(declaredHeaderLength: 100, rest: Array("{}".utf8)))
        }
        let limit = SafeTensorsFile.maximumHeaderLength
        #expect(throws: SafeTensorsError.headerTooLarge(declaredLength: .max, limit: limit)) {
            try open(FileBytes.file(declaredHeaderLength: .max, rest: []))
        }
        #expect(throws: SafeTensorsError.headerTooLarge(declaredLength: UInt64(limit) + 1, limit: limit)) {
            try open(FileBytes.file(declaredHeaderLength: UInt64(limit) + 1, rest: []))
        }
    }

    @Test func headerNotUTF8() {
        #expect(throws: SafeTensorsError.headerNotUTF8) {
            try open(FileBytes.file(declaredHeaderLength: 4, rest: [0x7B, 0xC3, 0x28, 0x7D]))
        }
    }

    @Test(arguments: ["", "{", #"{"a":}"#, #"{"a":1,}"#, "{} x", #"{"a":01}"#, #"{"a":"\x"}"#, "{'a':1}",
                      #"{"a":"\ud800"}"#, "{\"a\":\"tab\tinside\"}", #"{"a":tru}"#, #"{"a":1.}"#, #"{"a":-}"#])
    func invalidJSON(header: String) {
        #expect {
            try open(header: header)
        } throws: { error in
            guard case .invalidJSON = error as? SafeTensorsError else { return false }
            return true
        }
    }

    @Test func deepNestingIsRejectedWithoutExhaustingTheStack() {
        #expect {
            try open(header: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        } throws: { error in
            guard case .invalidJSON(let reason, _) = error as? SafeTensorsError else { return false }
            return reason.contains("nesting")
        }
    }

    @Test func headerNotAnObject() {
        #expect(throws: SafeTensorsError.headerNotObject(found: "an array")) { try open(header: "[1, 2]") }
        #expect(throws: SafeTensorsError.headerNotObject(found: "a string")) { try open(header: #""{}""#) }
    }

    @Test func tensorDescriptionErrors() {
        #expect(throws: SafeTensorsError.invalidTensorInfo(tensor: "a", reason: "description must be an object, found a number")) {
            try open(header: #"{"a":3}"#)
        }
        #expect(throws: SafeTensorsError.invalidTensorInfo(tensor: "a", reason: "missing \"dtype\"")) {
            try open(header: #"{"a":{"shape":[],"data_offsets":[0,0]}}"#)
        }
        #expect(throws: SafeTensorsError.invalidTensorInfo(tensor: "a", reason: "field \"dtype\" appears twice")) {
            try open(header: #"{"a":{"dtype":"U8","dtype":"U8","shape":[0],"data_offsets":[0,0]}}"#)
        }
        #expect(throws: SafeTensorsError.unknownDType(tensor: "a", dtype: "F8_E4M3")) {
            try open(header: #"{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        }
    }

    @Test(arguments: ["[-1]", "[1.5]", "[2.0]", "[\"2\"]", "2", "[1e1]", "[9223372036854775808]", "[4611686018427387904, 4]"])
    func invalidShape(shape: String) {
        #expect {
            try open(header: "{\(f32("t", shape: shape, offsets: "[0,8]"))}", data: Array(repeating: 0, count: 8))
        } throws: { error in
            guard case .invalidShape(let tensor, _) = error as? SafeTensorsError else { return false }
            return tensor == "t"
        }
    }

    @Test(arguments: ["[0]", "[0,8,8]", "[0.0,8]", "[-8,0]", "\"0-8\"", "{\"begin\":0}", "[0,null]"])
    func invalidOffsets(offsets: String) {
        #expect {
            try open(header: "{\(f32("t", offsets: offsets))}", data: Array(repeating: 0, count: 8))
        } throws: { error in
            guard case .invalidOffsets(let tensor, _) = error as? SafeTensorsError else { return false }
            return tensor == "t"
        }
    }

    @Test func offsetsOutOfOrderOrOutOfRange() {
        let data = [UInt8](repeating: 0, count: 8)
        #expect(throws: SafeTensorsError.offsetsReversed(tensor: "t", begin: 8, end: 0)) {
            try open(header: "{\(f32("t", offsets: "[8,0]"))}", data: data)
        }
        #expect(throws: SafeTensorsError.offsetsBeyondData(tensor: "t", end: 16, dataLength: 8)) {
            try open(header: "{\(f32("t", offsets: "[8,16]"))}", data: data)
        }
        #expect(throws: SafeTensorsError.byteSizeMismatch(tensor: "t", expected: 12, actual: 8)) {
            try open(header: "{\(f32("t", shape: "[3]", offsets: "[0,8]"))}", data: data)
        }
    }

    @Test func tensorsMustTileTheDataSection() {
        let twelve = [UInt8](repeating: 0, count: 12)
        #expect(throws: SafeTensorsError.overlappingTensors("a", "b")) {
            try open(header: "{\(f32("b", offsets: "[4,12]")),\(f32("a", offsets: "[0,8]"))}", data: twelve)
        }
        #expect(throws: SafeTensorsError.dataGap(before: "b", start: 4, end: 8)) {
            try open(header: "{\(f32("a", shape: "[1]", offsets: "[0,4]")),\(f32("b", shape: "[1]", offsets: "[8,12]"))}", data: twelve)
        }
        #expect(throws: SafeTensorsError.dataGap(before: "a", start: 0, end: 4)) {
            try open(header: "{\(f32("a", offsets: "[4,12]"))}", data: twelve)
        }
        #expect(throws: SafeTensorsError.dataGap(before: nil, start: 8, end: 12)) {
            try open(header: "{\(f32("a", offsets: "[0,8]"))}", data: twelve)
        }
        #expect(throws: SafeTensorsError.dataGap(before: nil, start: 0, end: 3)) { try open(header: "{}", data: [1, 2, 3]) }
    }

    @Test func duplicateNames() {
        #expect(throws: SafeTensorsError.duplicateName("a")) {
            try open(header: "{\(f32("a", offsets: "[0,8]")),\(f32("a", offsets: "[0,8]"))}", data: Array(repeating: 0, count: 8))
        }
        #expect(throws: SafeTensorsError.duplicateName("__metadata__")) {
            try open(header: #"{"__metadata__":{},"__metadata__":{}}"#)
        }
    }

    @Test func metadataMustMapStringsToStrings() throws {
        #expect(throws: SafeTensorsError.metadataValueNotString(key: "k", found: "a number")) {
            try open(header: #"{"__metadata__":{"k":1}}"#)
        }
        #expect(throws: SafeTensorsError.metadataNotObject(found: "an array")) {
            try open(header: #"{"__metadata__":["k"]}"#)
        }
        #expect(throws: SafeTensorsError.duplicateName("__metadata__.k")) {
            try open(header: #"{"__metadata__":{"k":"1","k":"2"}}"#)
        }
        #expect(try open(header: #"{"__metadata__":null}"#).metadata.isEmpty)
        #expect(try open(header: "  {\"__metadata__\":{\"\\u00e9\\ud83d\\ude00\":\"\\\"\\n\"}}   ").metadata == ["é😀": "\"\n"])
    }

    @Test func requestsOfTheWrongTypeOrName() throws {
        var writer = SafeTensorsWriter()
        writer.add("ids", int64: [1], shape: [1])
        writer.add("weights", float32: [1], shape: [1])
        writer.add("big", dtype: .uint64, shape: [2], littleEndianBytes: FileBytes.littleEndian([UInt64(1), .max]))
        let file = try SafeTensorsFile(bytes: writer.serialized())
        #expect(throws: SafeTensorsError.dtypeMismatch(tensor: "ids", dtype: .int64, requested: "floats")) { try file.floats("ids") }
        #expect(throws: SafeTensorsError.dtypeMismatch(tensor: "weights", dtype: .float32, requested: "64-bit integers")) {
            try file.int64s("weights")
        }
        #expect(throws: SafeTensorsError.dtypeMismatch(tensor: "ids", dtype: .int64, requested: "bytes (U8)")) { try file.uint8s("ids") }
        #expect(throws: SafeTensorsError.tensorNotFound("nope")) { try file.floats("nope") }
        #expect(throws: SafeTensorsError.valueOutOfRange(tensor: "big", index: 1)) { try file.int64s("big") }
    }

    @Test func descriptionsNameTheTensorAndTheProblem() {
        let error = SafeTensorsError.byteSizeMismatch(tensor: "down_blocks.0.weight", expected: 12, actual: 8)
        #expect(error.description.contains("down_blocks.0.weight"))
        #expect(error.description.contains("12") && error.description.contains("8"))
        #expect(SafeTensorsError.overlappingTensors("a", "b").description.contains("overlap"))
    }
}
