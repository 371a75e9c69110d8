/// The validated contents of a safetensors header.
struct Header {
    /// The reserved header key under which free-form string metadata lives.
    static let metadataKey = "__metadata__"

    var metadata: [String: String] = [:]
    /// Tensor names in header order.
    var names: [String] = []
    var entries: [String: TensorEntry] = [:]

    /// Parses and validates header JSON against a data section of `dataLength` bytes.
    init(jsonBytes: [UInt8], dataLength: Int) throws(SafeTensorsError) {
        guard String(validating: jsonBytes, as: UTF8.self) != nil else { throw .headerNotUTF8 }
        let root = try StrictJSONParser.parse(jsonBytes)
        guard case .object(let members) = root else { throw .headerNotObject(found: root.kind) }
        var seen = Set<String>()
        for (name, value) in members {
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            if name == Self.metadataKey {
                metadata = try Self.parseMetadata(value)
            } else {
                names.append(name)
                entries[name] = try Self.parseEntry(name: name, value, dataLength: dataLength)
            }
        }
        try Self.checkCoverage(names.compactMap { name in entries[name].map { (name, $0.dataRange) } }, dataLength: dataLength)
    }

    /// `__metadata__` is an object of strings; `null` means none, as the reference reader allows.
    private static func parseMetadata(_ value: JSONValue) throws(SafeTensorsError) -> [String: String] {
        if case .null = value { return [:] }
        guard case .object(let members) = value else { throw .metadataNotObject(found: value.kind) }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let text) = value else { throw .metadataValueNotString(key: key, found: value.kind) }
            guard metadata.updateValue(text, forKey: key) == nil else { throw .duplicateName("__metadata__.\(key)") }
        }
        return metadata
    }

    /// Reads `{"dtype", "shape", "data_offsets"}`; other fields are ignored, as by the reference reader.
    private static func parseEntry(name: String, _ value: JSONValue, dataLength: Int) throws(SafeTensorsError) -> TensorEntry {
        guard case .object(let members) = value else {
            throw .invalidTensorInfo(tensor: name, reason: "description must be an object, found \(value.kind)")
        }
        var fields: [String: JSONValue] = [:]
        for (key, field) in members where fields.updateValue(field, forKey: key) != nil {
            throw .invalidTensorInfo(tensor: name, reason: "field \"\(key)\" appears twice")
        }
        guard let dtypeValue = fields["dtype"] else { throw .invalidTensorInfo(tensor: name, reason: "missing \"dtype\"") }
        guard let shapeValue = fields["shape"] else { throw .invalidTensorInfo(tensor: name, reason: "missing \"shape\"") }
        guard let offsetsValue = fields["data_offsets"] else {
            throw .invalidTensorInfo(tensor: name, reason: "missing \"data_offsets\"")
        }
        guard case .string(let dtypeName) = dtypeValue else {
            throw .invalidTensorInfo(tensor: name, reason: "\"dtype\" must be a string, found \(dtypeValue.kind)")
        }
        guard let dtype = DType(rawValue: dtypeName) else { throw .unknownDType(tensor: name, dtype: dtypeName) }
        let shape = try parseShape(name: name, shapeValue)
        let (begin, end) = try parseOffsets(name: name, offsetsValue)
        guard end >= begin else { throw .offsetsReversed(tensor: name, begin: begin, end: end) }
        guard end <= dataLength else { throw .offsetsBeyondData(tensor: name, end: end, dataLength: dataLength) }
        var byteCount = dtype.byteWidth
        for extent in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw .invalidShape(tensor: name, reason: "\(shape) holds more bytes than addressable") }
            byteCount = product
        }
        guard byteCount == end - begin else { throw .byteSizeMismatch(tensor: name, expected: byteCount, actual: end - begin) }
        return TensorEntry(dtype: dtype, shape: shape, dataRange: begin..<end)
    }

    private static func parseShape(name: String, _ value: JSONValue) throws(SafeTensorsError) -> [Int] {
        guard case .array(let elements) = value else {
            throw .invalidShape(tensor: name, reason: "must be an array, found \(value.kind)")
        }
        var shape: [Int] = []
        for element in elements {
            guard let extent = element.nonNegativeInteger else {
                throw .invalidShape(tensor: name, reason: "extents must be non-negative integers")
            }
            shape.append(extent)
        }
        return shape
    }

    private static func parseOffsets(name: String, _ value: JSONValue) throws(SafeTensorsError) -> (Int, Int) {
        guard case .array(let elements) = value, elements.count == 2 else {
            throw .invalidOffsets(tensor: name, reason: "must be an array [begin, end]")
        }
        guard let begin = elements[0].nonNegativeInteger, let end = elements[1].nonNegativeInteger else {
            throw .invalidOffsets(tensor: name, reason: "begin and end must be non-negative integers")
        }
        return (begin, end)
    }

    /// The tensors must tile the data section: sorted by offset, each starts where the previous
    /// one ended and the last ends at the end of the data.
    private static func checkCoverage(_ ranges: [(String, Range<Int>)], dataLength: Int) throws(SafeTensorsError) {
        let ordered = ranges.sorted {
            ($0.1.lowerBound, $0.1.upperBound) < ($1.1.lowerBound, $1.1.upperBound)
        }
        var covered = 0
        var previous = ""
        for (name, range) in ordered {
            if range.lowerBound < covered { throw .overlappingTensors(previous, name) }
            if range.lowerBound > covered { throw .dataGap(before: name, start: covered, end: range.lowerBound) }
            covered = range.upperBound
            previous = name
        }
        guard covered == dataLength else { throw .dataGap(before: nil, start: covered, end: dataLength) }
    }
}
