/// The architecture of a diffusers `UNet2DModel`, as its `config.json` spells it.
///
/// Every setting defaults to diffusers' `UNet2DModel.__init__` default. Only the settings this
/// implementation computes exactly like diffusers are representable: a value outside them (a
/// `SkipDownBlock2D`, `time_embedding_type: "fourier"`, class conditioning, dropout, ...) is
/// refused with ``UNet2DConfigError`` naming the key and value. A config that exists is
/// therefore always buildable: the initialiser also checks the channel arithmetic (group
/// counts dividing channel counts, attention heads fitting).
public struct UNet2DConfig: Sendable, Equatable {
    /// Down-path block types.
    public enum DownBlockType: String, Sendable, CaseIterable {
        /// ResNet blocks, then a stride-2 convolution (except in the last block).
        case downBlock2D = "DownBlock2D"
        /// ResNet blocks each followed by self-attention, then the downsampler.
        case attnDownBlock2D = "AttnDownBlock2D"
    }

    /// Up-path block types.
    public enum UpBlockType: String, Sendable, CaseIterable {
        /// ResNet blocks over the concatenated skip connections, then 2x upsampling (except last).
        case upBlock2D = "UpBlock2D"
        /// The same with self-attention after every ResNet block.
        case attnUpBlock2D = "AttnUpBlock2D"
    }

    /// Mid-block types.
    public enum MidBlockType: String, Sendable, CaseIterable {
        /// ResNet, optional self-attention, ResNet.
        case unetMidBlock2D = "UNetMidBlock2D"
    }

    /// How ResNet blocks apply the time embedding.
    public enum TimeScaleShift: String, Sendable, CaseIterable {
        /// Added to the features before the second group norm.
        case `default`
        /// Split into a scale and a shift applied after the second group norm.
        case scaleShift = "scale_shift"
    }

    /// The activation function (diffusers' names for SiLU).
    public enum Activation: String, Sendable, CaseIterable {
        /// `x · σ(x)`.
        case silu
        /// The same function under its other name.
        case swish
    }

    /// Training image side (`sample_size`), or nil; informational for the model itself.
    public let sampleSize: Int?
    /// Channels of the input images.
    public let inChannels: Int
    /// Channels of the predicted noise.
    public let outChannels: Int
    /// Whether inputs are mapped `x ↦ 2x − 1` first.
    public let centerInputSample: Bool
    /// Width of the time embedding; nil means `4 · blockOutChannels[0]`.
    public let timeEmbeddingDim: Int?
    /// `downscale_freq_shift` of the sinusoidal timestep features.
    public let freqShift: Double
    /// Whether the sinusoidal features are ordered `[cos, sin]` instead of `[sin, cos]`.
    public let flipSinToCos: Bool
    /// One type per resolution level, highest resolution first.
    public let downBlockTypes: [DownBlockType]
    /// The mid block, or nil for none.
    public let midBlockType: MidBlockType?
    /// One type per resolution level, lowest resolution first.
    public let upBlockTypes: [UpBlockType]
    /// Channels of each resolution level, highest resolution first.
    public let blockOutChannels: [Int]
    /// ResNet blocks per down block (up blocks have one more).
    public let layersPerBlock: Int
    /// Output divisor of the mid block's ResNet and attention blocks.
    public let midBlockScaleFactor: Double
    /// Padding of the stride-2 downsampling convolutions (0 pads bottom and right by one first).
    public let downsamplePadding: Int
    /// The activation function.
    public let activation: Activation
    /// Channels per attention head; nil means one head per block.
    public let attentionHeadDim: Int?
    /// Groups of every group norm except, when set, the mid block attention's.
    public let normNumGroups: Int
    /// Groups of the mid block attention's group norm; nil means `normNumGroups` under the
    /// "default" time scale shift and no group norm under "scale_shift".
    public let attnNormNumGroups: Int?
    /// Epsilon of every group norm.
    public let normEps: Double
    /// How ResNet blocks apply the time embedding.
    public let resnetTimeScaleShift: TimeScaleShift
    /// Whether the mid block has self-attention.
    public let addAttention: Bool
    /// `num_train_timesteps` (used by diffusers only for learned time embeddings; kept for the file).
    public let numTrainTimesteps: Int?

    /// A validated configuration; the defaults are diffusers'.
    public init(
        sampleSize: Int? = nil, inChannels: Int = 3, outChannels: Int = 3, centerInputSample: Bool = false,
        timeEmbeddingDim: Int? = nil, freqShift: Double = 0, flipSinToCos: Bool = true,
        downBlockTypes: [DownBlockType] = [.downBlock2D, .attnDownBlock2D, .attnDownBlock2D, .attnDownBlock2D],
        midBlockType: MidBlockType? = .unetMidBlock2D,
        upBlockTypes: [UpBlockType] = [.attnUpBlock2D, .attnUpBlock2D, .attnUpBlock2D, .upBlock2D],
        blockOutChannels: [Int] = [224, 448, 672, 896], layersPerBlock: Int = 2, midBlockScaleFactor: Double = 1,
        downsamplePadding: Int = 1, activation: Activation = .silu, attentionHeadDim: Int? = 8,
        normNumGroups: Int = 32, attnNormNumGroups: Int? = nil, normEps: Double = 1e-5,
        resnetTimeScaleShift: TimeScaleShift = .default, addAttention: Bool = true, numTrainTimesteps: Int? = nil
    ) throws(UNet2DConfigError) {
        self.sampleSize = sampleSize
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.centerInputSample = centerInputSample
        self.timeEmbeddingDim = timeEmbeddingDim
        self.freqShift = freqShift
        self.flipSinToCos = flipSinToCos
        self.downBlockTypes = downBlockTypes
        self.midBlockType = midBlockType
        self.upBlockTypes = upBlockTypes
        self.blockOutChannels = blockOutChannels
        self.layersPerBlock = layersPerBlock
        self.midBlockScaleFactor = midBlockScaleFactor
        self.downsamplePadding = downsamplePadding
        self.activation = activation
        self.attentionHeadDim = attentionHeadDim
        self.normNumGroups = normNumGroups
        self.attnNormNumGroups = attnNormNumGroups
        self.normEps = normEps
        self.resnetTimeScaleShift = resnetTimeScaleShift
        self.addAttention = addAttention
        self.numTrainTimesteps = numTrainTimesteps
        try validate()
    }

    /// Width of the time embedding the ResNet blocks receive.
    public var timeEmbeddingChannels: Int { timeEmbeddingDim ?? 4 * blockOutChannels[0] }

    /// Input heights and widths must be multiples of this (2 per downsampling), so that every
    /// upsampled feature map matches the skip connection it is concatenated with.
    public var spatialSizeMultiple: Int { 1 << (blockOutChannels.count - 1) }
}
