using ActorTrain.Model.Optim;

namespace ActorTrain.Actors.Training;

/// <summary>
/// The optimizer over the ranges of the flat buffer this rank steps: all of it (one range), or, with
/// <c>actortrain.job.sync.shard-optimizer</c>, its <see cref="Sync.ShardPartition"/> shard of every gradient bucket
/// (ZeRO stage 1: each range has its own optimizer state, so a rank holds only 1/world of it). Element-wise optimizers
/// give the same values whichever rank steps an element, so sharding changes where the work is done, not the result.
/// </summary>
internal sealed class ShardedOptimizer
{
    private readonly (int Offset, int Length)[] _ranges;
    private readonly IFlatOptimizer[] _parts;
    private readonly int _totalLength;
    private readonly string[] _bufferNames;

    /// <param name="totalLength">Elements of the whole flat buffer.</param>
    /// <param name="ranges">The ranges this rank steps, ascending and disjoint (empty ones are dropped).</param>
    /// <param name="create">Builds the optimizer of one range from its offset and length.</param>
    public ShardedOptimizer(int totalLength, IEnumerable<(int Offset, int Length)> ranges, Func<int, int, IFlatOptimizer> create)
    {
        _totalLength = totalLength;
        _ranges = ranges.Where(r => r.Length > 0).ToArray();
        _parts = _ranges.Select(r => create(r.Offset, r.Length)).ToArray();
        var probe = create(0, 0);
        Kind = probe.Kind;
        _bufferNames = probe.ExportState().Buffers.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>"adamw" or "sgd".</summary>
    public string Kind { get; }

    /// <summary>The ranges this rank steps (non-empty, ascending).</summary>
    public IReadOnlyList<(int Offset, int Length)> Ranges => _ranges;

    /// <summary>Names of the optimizer's state buffers, in ordinal order (the order every rank gathers them in).</summary>
    public IReadOnlyList<string> BufferNames => _bufferNames;

    /// <summary>Optimizer steps taken (kept here too, so a rank that owns no element still knows it).</summary>
    public long StepCount { get; private set; }

    /// <summary>One optimizer step on this rank's ranges of the whole-buffer spans.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate)
    {
        for (var i = 0; i < _parts.Length; i++)
        {
            var (offset, length) = _ranges[i];
            _parts[i].Step(parameters.Slice(offset, length), gradients.Slice(offset, length), learningRate);
        }
        StepCount++;
    }

    /// <summary>
    /// This rank's state written into whole-buffer arrays (zeros outside its ranges), one per <see cref="BufferNames"/>:
    /// complete when this rank steps everything; otherwise all-gather them to assemble the full state.
    /// </summary>
    public Dictionary<string, float[]> ExportIntoFullBuffers()
    {
        var full = _bufferNames.ToDictionary(n => n, _ => new float[_totalLength], StringComparer.Ordinal);
        for (var i = 0; i < _parts.Length; i++)
        {
            var state = _parts[i].ExportState();
            foreach (var name in _bufferNames) state.Buffers[name].CopyTo(full[name].AsSpan(_ranges[i].Offset));
        }
        return full;
    }

    /// <summary>Restores this rank's ranges from a whole-buffer state (a checkpoint's).</summary>
    public void ImportFull(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Offset != 0 || state.Length != _totalLength)
            throw new ArgumentException($"optimizer state covers [{state.Offset}, +{state.Length}); the model has {_totalLength} elements", nameof(state));
        for (var i = 0; i < _parts.Length; i++) _parts[i].ImportState(state.Slice(_ranges[i].Offset, _ranges[i].Length));
        StepCount = state.Step;
    }
}
