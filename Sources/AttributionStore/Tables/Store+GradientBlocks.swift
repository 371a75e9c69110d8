import LMDB

extension AttributionStore {
    /// Stores a block of `rows` per-example gradients of `dimension` values, letting `fill`
    /// write the ids and values straight into the map (`MDB_RESERVE`).
    ///
    /// When LMDB places the value at an address that is not 16-byte aligned (small values live
    /// in leaf pages), `fill` writes into an aligned scratch buffer that is then copied in.
    /// - Parameters:
    ///   - key: The block's checkpoint, shard and index.
    ///   - rows: The number of examples.
    ///   - dimension: Values per example.
    ///   - dtype: The element type `fill` writes (`float16` as little-endian bit patterns).
    ///   - transaction: The write transaction.
    ///   - fill: Writes `rows` ids and `rows × dimension` values (row-major); the values
    ///     buffer is 16-byte aligned.
    /// - Returns: Whether `fill` wrote into the map or into an aligned copy.
    @discardableResult
    public func putGradientBlock(
        _ key: GradientBlockKey,
        rows: Int,
        dimension: Int,
        dtype: GradientDType,
        in transaction: borrowing WriteTransaction,
        fill: (_ ids: UnsafeMutableBufferPointer<Int64>, _ values: UnsafeMutableRawBufferPointer) throws -> Void
    ) throws -> BlockPlacement {
        let layout = GradientBlockLayout(rows: rows, dimension: dimension, dtype: dtype)
        var placement = BlockPlacement.inPlace
        try transaction.put(reservingCount: layout.totalSize, forKey: key.bytes, in: databases.gradientBlocks) { reserved in
            if GradientBlockLayout.isAligned(UnsafeRawPointer(reserved.baseAddress)) {
                try layout.initialize(reserved, fill: fill)
            } else {
                let scratch = AlignedScratch()
                let buffer = scratch.buffer(count: layout.totalSize)
                try layout.initialize(buffer, fill: fill)
                reserved.copyMemory(from: UnsafeRawBufferPointer(buffer))
                placement = .alignedCopy
            }
        }
        return placement
    }

    /// Stores a block from arrays: `values` holds `ids.count × dimension` floats, row-major,
    /// converted to half precision when `dtype` is `float16`.
    @discardableResult
    public func putGradientBlock(
        _ key: GradientBlockKey,
        ids: [Int64],
        values: [Float],
        dimension: Int,
        dtype: GradientDType,
        in transaction: borrowing WriteTransaction
    ) throws -> BlockPlacement {
        precondition(values.count == ids.count * dimension, "\(values.count) values for \(ids.count) rows of \(dimension)")
        let rows = ids.count
        return try putGradientBlock(key, rows: rows, dimension: dimension, dtype: dtype, in: transaction) { idBuffer, valueBuffer in
            _ = idBuffer.initialize(from: ids.map { $0.littleEndian })
            values.withUnsafeBufferPointer { source in
                switch dtype {
                case .float32: valueBuffer.copyMemory(from: UnsafeRawBufferPointer(source))
                case .float16: Float16Conversion.encode(source, into: valueBuffer)
                }
            }
        }
    }

    /// Calls `body` with the block stored under `key`, read in place.
    /// - Returns: What `body` returned, or `nil` when there is no such block.
    public func withGradientBlock<A, R>(
        _ key: GradientBlockKey,
        in transaction: borrowing Transaction<A>,
        _ body: (GradientBlockView) throws -> R
    ) throws -> R? {
        let scratch = AlignedScratch()
        return try transaction.withValue(forKey: key.bytes, in: databases.gradientBlocks) { value in
            try body(GradientBlockView(key: key, value: value, scratch: scratch))
        }
    }

    /// Calls `body` with every block of the checkpoints `steps` (of one shard, if given), in
    /// key order within each checkpoint and checkpoints in the order given.
    ///
    /// Each view is valid only during its call: aligned values are read in place, misaligned
    /// ones through a scratch copy reused from block to block.
    public func forEachGradientBlock<A>(
        steps: [UInt64],
        shard: UInt32? = nil,
        in transaction: borrowing Transaction<A>,
        _ body: (GradientBlockView) throws -> Void
    ) throws {
        let scratch = AlignedScratch()
        for step in steps {
            let prefix = shard.map { StoreKey.step(step, $0) } ?? StoreKey.step(step)
            try transaction.forEach(in: databases.gradientBlocks, range: .prefix(prefix)) { entry in
                let key = try GradientBlockKey(decoding: entry.key)
                try body(GradientBlockView(key: key, value: entry.value, scratch: scratch))
                return .proceed
            }
        }
    }

    /// The number of blocks stored for checkpoint `step` (of one shard, if given).
    public func gradientBlockCount<A>(step: UInt64, shard: UInt32? = nil, in transaction: borrowing Transaction<A>) throws -> Int {
        try gradientBlockKeys(step: step, shard: shard, in: transaction).count
    }

    /// Removes every block of checkpoint `step` (of one shard, if given: before indexing it
    /// again, or when the shard is rejected).
    /// - Returns: The number of blocks removed.
    @discardableResult
    public func removeGradientBlocks(step: UInt64, shard: UInt32? = nil, in transaction: borrowing WriteTransaction) throws -> Int {
        let prefix = shard.map { StoreKey.step(step, $0) } ?? StoreKey.step(step)
        return try transaction.deleteAll(in: databases.gradientBlocks, range: .prefix(prefix))
    }

    private func gradientBlockKeys<A>(step: UInt64, shard: UInt32?, in transaction: borrowing Transaction<A>) throws -> [[UInt8]] {
        let prefix = shard.map { StoreKey.step(step, $0) } ?? StoreKey.step(step)
        var keys: [[UInt8]] = []
        try transaction.forEach(in: databases.gradientBlocks, range: .prefix(prefix)) { entry in
            keys.append(Array(entry.key))
            return .proceed
        }
        return keys
    }
}
