using static TorchSharp.torch;

namespace ActorTrain.Model.Sampling;

/// <summary>
/// Splits a dataset's indices among ranks with the semantics of PyTorch's
/// <c>torch.utils.data.distributed.DistributedSampler</c>:
/// <list type="number">
/// <item>shuffle: <c>torch.randperm(len, generator)</c> with a CPU generator seeded by <c>seed + epoch</c> — the same
/// generator and algorithm as PyTorch's, so the indices equal PyTorch's; otherwise 0..len-1;</item>
/// <item>without drop_last: padded by repeating indices from the start (several times over if needed)
/// to <c>ceil(len / world) * world</c>; with drop_last: truncated to <c>floor(len / world) * world</c>;</item>
/// <item>this rank takes <c>indices[rank::world]</c>.</item>
/// </list>
/// Unlike PyTorch, the sampler also tracks the position within the epoch (<see cref="State"/>),
/// so a run resumed from a checkpoint continues mid-epoch, and can re-shard an epoch for another world size from a
/// global position (<see cref="ResumeAt"/>): the rest of the epoch's permutation is split among the new ranks, so no
/// sample of the epoch is seen twice or skipped (apart from the padding PyTorch's sampler adds too).
/// </summary>
public sealed class DistributedSampler
{
    private int[] _indices = [];
    private long _epoch;
    private int _position;
    private long _offset; // start of the current split in the epoch's order (non-zero only in a re-sharded epoch)

    /// <summary>Creates a sampler for one rank; the epoch starts at 0.</summary>
    /// <param name="datasetLength">Number of samples in the dataset (&gt; 0).</param>
    /// <param name="worldSize">Number of ranks (&gt; 0).</param>
    /// <param name="rank">This rank, 0 ≤ rank &lt; worldSize.</param>
    /// <param name="shuffle">Whether each epoch is a fresh permutation.</param>
    /// <param name="seed">Seed shared by all ranks (they must agree, as in PyTorch).</param>
    /// <param name="dropLast">Drop the tail instead of padding so shards are equal.</param>
    public DistributedSampler(int datasetLength, int worldSize, int rank, bool shuffle = true, long seed = 0, bool dropLast = false)
    {
        if (datasetLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(datasetLength), datasetLength, "The dataset is empty: a DistributedSampler needs at least one sample.");
        }
        if (worldSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "world size must be at least 1.");
        }
        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {worldSize - 1}] for world size {worldSize}.");
        }
        DatasetLength = datasetLength;
        WorldSize = worldSize;
        Rank = rank;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Rebuild();
    }

    /// <summary>Number of samples in the dataset.</summary>
    public int DatasetLength { get; }

    /// <summary>Number of ranks.</summary>
    public int WorldSize { get; }

    /// <summary>This sampler's rank.</summary>
    public int Rank { get; }

    /// <summary>Whether epochs are shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Shuffle seed shared by all ranks.</summary>
    public long Seed { get; }

    /// <summary>Whether the tail is dropped instead of padded.</summary>
    public bool DropLast { get; }

    /// <summary>Indices per rank in the current epoch (PyTorch's <c>num_samples</c>, also <c>len(sampler)</c>; smaller in a
    /// re-sharded epoch).</summary>
    public int NumSamples { get; private set; }

    /// <summary>Indices of the current epoch over all ranks (PyTorch's <c>total_size</c>; what is left of it in a re-sharded epoch).</summary>
    public int TotalSize { get; private set; }

    /// <summary>The current epoch.</summary>
    public long Epoch => _epoch;

    /// <summary>How many of this epoch's indices have been taken by <see cref="TryNext"/>/<see cref="Take"/>.</summary>
    public int Position => _position;

    /// <summary>Indices this rank has not yet taken in the current epoch.</summary>
    public int Remaining => NumSamples - _position;

    /// <summary>This rank's indices for the current epoch (all of them, independent of the position).</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>The epoch and position, for checkpoints.</summary>
    public SamplerState State => new(_epoch, _position, _offset);

    /// <summary>Starts <paramref name="epoch"/> from its first index (reshuffles when shuffling), like PyTorch's set_epoch.</summary>
    public void SetEpoch(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        _epoch = epoch;
        _position = 0;
        _offset = 0;
        Rebuild();
    }

    /// <summary>
    /// Re-shards <paramref name="epoch"/> for this sampler's world size, starting at <paramref name="globalPosition"/> of
    /// the epoch's order (<see cref="SamplerState.GlobalPosition"/> of a state saved by any world size): the remaining
    /// entries of the permutation are padded (or truncated with drop_last) to a multiple of the world size and this rank
    /// takes every world-th of them. At or past the end of the permutation the epoch is exhausted.
    /// </summary>
    public void ResumeAt(long epoch, long globalPosition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(globalPosition);
        _epoch = epoch;
        _position = 0;
        _offset = Math.Min(globalPosition, DatasetLength);
        Rebuild();
    }

    /// <summary>Restores a state saved with <see cref="State"/>: the same epoch, continuing after the same position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position does not fit this sampler (e.g. a different dataset or world size).</exception>
    public void Restore(SamplerState state)
    {
        _epoch = state.Epoch;
        _position = 0;
        _offset = state.Offset;
        if (state.Offset < 0 || state.Offset > DatasetLength)
            throw new ArgumentOutOfRangeException(nameof(state), state, $"Sampler offset {state.Offset} is outside [0, {DatasetLength}]; was the checkpoint made with a different dataset?");
        Rebuild();
        if (state.Position < 0 || state.Position > NumSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(state), state,
                $"Sampler position {state.Position} is outside [0, {NumSamples}] for rank {Rank} of {WorldSize} over {DatasetLength} samples; was the checkpoint made with a different dataset or world size?");
        }
        _position = state.Position;
    }

    /// <summary>Takes the next index of this epoch; false when the epoch is exhausted (call <see cref="SetEpoch"/>).</summary>
    public bool TryNext(out int index)
    {
        if (_position >= _indices.Length)
        {
            index = -1;
            return false;
        }
        index = _indices[_position++];
        return true;
    }

    /// <summary>Copies up to <c>destination.Length</c> next indices of this epoch; returns how many were copied.</summary>
    public int Take(Span<int> destination)
    {
        var count = Math.Min(destination.Length, Remaining);
        _indices.AsSpan(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }

    /// <summary>
    /// The full epoch order over all ranks before the rank split (padded/truncated to <see cref="TotalSize"/>).
    /// Exposed for tests and tools; allocates.
    /// </summary>
    public static int[] GlobalOrder(int datasetLength, int worldSize, bool shuffle, long seed, long epoch, bool dropLast) =>
        Split(shuffle ? Permutation(datasetLength, seed + epoch) : Enumerable.Range(0, datasetLength).ToArray(), worldSize, dropLast);

    /// <summary>
    /// The order of an epoch re-sharded at <paramref name="offset"/> (see <see cref="ResumeAt"/>): the permutation's
    /// entries from the offset on, padded (by wrapping over them) or truncated to a multiple of the world size.
    /// </summary>
    public static int[] GlobalOrder(int datasetLength, int worldSize, bool shuffle, long seed, long epoch, bool dropLast, long offset)
    {
        var perm = shuffle ? Permutation(datasetLength, seed + epoch) : Enumerable.Range(0, datasetLength).ToArray();
        return offset == 0 ? Split(perm, worldSize, dropLast) : Split(perm[(int)Math.Min(offset, datasetLength)..], worldSize, dropLast);
    }

    private static int[] Split(int[] perm, int worldSize, bool dropLast)
    {
        int datasetLength = perm.Length;
        if (datasetLength == 0) return [];
        var numSamples = dropLast ? datasetLength / worldSize : (int)((datasetLength + (long)worldSize - 1) / worldSize);
        var totalSize = numSamples * worldSize;
        var order = new int[totalSize];
        if (totalSize <= datasetLength)
        {
            perm.AsSpan(0, totalSize).CopyTo(order);
        }
        else
        {
            // Padding repeats the order from its start, wrapping as often as needed (PyTorch's
            // `indices * ceil(padding / len)` branch for tiny datasets).
            for (var i = 0; i < totalSize; i++)
            {
                order[i] = perm[i % datasetLength];
            }
        }
        return order;
    }

    private static int[] Permutation(int length, long seed)
    {
        // PyTorch: g = torch.Generator(); g.manual_seed(seed + epoch); torch.randperm(n, generator=g).
        using var generator = new Generator(unchecked((ulong)seed));
        using var permutation = randperm(length, generator: generator);
        var values = permutation.data<long>().ToArray();
        var result = new int[length];
        for (var i = 0; i < length; i++) result[i] = (int)values[i];
        return result;
    }

    private void Rebuild()
    {
        var order = GlobalOrder(DatasetLength, WorldSize, Shuffle, Seed, _epoch, DropLast, _offset);
        // PyTorch: drop_last and len % world != 0 → ceil((len - world) / world), which equals floor(len / world).
        NumSamples = order.Length / WorldSize;
        TotalSize = order.Length;
        var mine = new int[NumSamples];
        for (int i = 0, j = Rank; i < mine.Length; i++, j += WorldSize)
        {
            mine[i] = order[j];
        }
        _indices = mine;
    }
}
