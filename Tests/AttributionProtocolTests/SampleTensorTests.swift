import AttributionProtocol
import Foundation
import Testing

@Suite struct SampleTensorTests {
    @Test func valuesRoundTripBitExactly() throws {
        let values: [Float] = [-1, -0.5, 0, 0.25, 1, .ulpOfOne, -.leastNormalMagnitude, 0.1]
        let tensor = SampleTensor(values: values, shape: [2, 1, 2, 2])
        #expect(try tensor.values(maximumElements: 100) == values)
        #expect(tensor.batchShape == [2, 1, 2, 2])
        #expect(SampleTensor(values: [0, 0, 0, 0], shape: [1, 2, 2]).batchShape == [1, 1, 2, 2])
    }

    @Test func refusesMalformedTensorsWithAReason() {
        func reason(_ tensor: SampleTensor, limit: Int = 1000) -> String? {
            do {
                _ = try tensor.values(maximumElements: limit)
                return nil
            } catch {
                #expect(error.code == JSONRPCErrorCode.invalidParams.rawValue)
                return error.data?.reason
            }
        }
        let good = SampleTensor(values: [Float](repeating: 0, count: 4), shape: [1, 1, 2, 2])
        #expect(reason(SampleTensor(values: [0, 0], shape: [2]))?.contains("[Q, C, H, W]") == true)
        #expect(reason(SampleTensor(data: good.data, shape: [1, 0, 2, 2]))?.contains("non-positive") == true)
        #expect(reason(SampleTensor(data: good.data, shape: [1, 1, 4, 4]))?.contains("16 values") == true)
        #expect(reason(SampleTensor(data: "%%%not base64", shape: [1, 1, 2, 2]))?.contains("base64") == true)
        #expect(reason(good, limit: 3)?.contains("limit") == true)
        #expect(reason(SampleTensor(data: good.data, shape: [Int.max, 2, 2, 2]))?.contains("limit") == true)
        #expect(reason(SampleTensor(values: [0, .nan, 0, 0], shape: [1, 1, 2, 2]))?.contains("non-finite") == true)
        #expect(reason(SampleTensor(values: [0, 0, .infinity, 0], shape: [1, 1, 2, 2]))?.contains("index 2") == true)
    }

    @Test func checkpointSelectorsReadEveryForm() throws {
        let decoder = ProtocolCoding.makeDecoder()
        #expect(try decoder.decode(CheckpointSelector.self, from: Data(#""latest""#.utf8)) == .latest)
        #expect(try decoder.decode(CheckpointSelector.self, from: Data(#""all""#.utf8)) == .all)
        #expect(try decoder.decode(CheckpointSelector.self, from: Data("[1,2]".utf8)) == .steps([1, 2]))
        #expect(throws: DecodingError.self) { try decoder.decode(CheckpointSelector.self, from: Data("3".utf8)) }
    }
}
