import DiffusionModel
import ModelProperties
import Numerics
import Synchronization

/// A test property that records the generated samples it is handed and returns a fixed value.
final class RecordingProperty: ModelProperty {
    let name: String
    let higherIsBetter = true
    let usesGeneratedSamples: Bool
    let imageShape: [Int]?
    let value: Double
    let weight: Double
    private let received = Mutex<[Tensor?]>([])

    init(name: String, usesGeneratedSamples: Bool, imageShape: [Int]? = [3, 8, 8], value: Double = 1, weight: Double = 1) {
        self.name = name
        self.usesGeneratedSamples = usesGeneratedSamples
        self.imageShape = imageShape
        self.value = value
        self.weight = weight
    }

    /// What each call was handed as `generated`, in order.
    var calls: [Tensor?] { received.withLock { $0 } }

    func measure(model: UNet2DModel, generated: Tensor?) -> Double {
        received.withLock { $0.append(generated) }
        return value
    }

    func gradientTarget(model: UNet2DModel, generated: Tensor?) -> PropertyGradientTarget {
        received.withLock { $0.append(generated) }
        return PropertyGradientTarget(samples: Tensor(shape: [1, 3, 8, 8]), weights: [weight])
    }
}
