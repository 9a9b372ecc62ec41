namespace ActorTrain.Model.Optim;

/// <summary>
/// A copy of an optimizer's state for one contiguous range of the flat parameter buffer: step count and
/// per-element buffers (AdamW: <c>exp_avg</c>, <c>exp_avg_sq</c>; SGD: <c>momentum_buffer</c>).
/// Shard states can be merged into a full-buffer state for a checkpoint and sliced back for restoring.
/// </summary>
public sealed class OptimizerState
{
    /// <summary>Creates a state; every buffer must have <paramref name="length"/> elements.</summary>
    public OptimizerState(string kind, long step, int offset, int length, IReadOnlyDictionary<string, float[]> buffers)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        foreach (var (name, buffer) in buffers)
        {
            if (buffer.Length != length)
            {
                throw new ArgumentException($"Optimizer state buffer '{name}' has {buffer.Length} elements; the state covers {length}.", nameof(buffers));
            }
        }
        Kind = kind;
        Step = step;
        Offset = offset;
        Length = length;
        Buffers = buffers;
    }

    /// <summary>Optimizer kind ("adamw", "sgd"); importing into another kind is refused.</summary>
    public string Kind { get; }

    /// <summary>Number of optimizer steps taken.</summary>
    public long Step { get; }

    /// <summary>First element covered, in full flat-buffer coordinates.</summary>
    public int Offset { get; }

    /// <summary>Number of elements covered.</summary>
    public int Length { get; }

    /// <summary>Per-element state buffers by name, each <see cref="Length"/> long.</summary>
    public IReadOnlyDictionary<string, float[]> Buffers { get; }

    /// <summary>The sub-range [offset, offset+length) in full-buffer coordinates, copied.</summary>
    public OptimizerState Slice(int offset, int length)
    {
        if (offset < Offset || (long)offset + length > (long)Offset + Length || length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Slice [{offset}, +{length}) lies outside the optimizer state range [{Offset}, +{Length}).");
        }
        var buffers = Buffers.ToDictionary(kv => kv.Key, kv => kv.Value.AsSpan(offset - Offset, length).ToArray());
        return new OptimizerState(Kind, Step, offset, length, buffers);
    }

    /// <summary>
    /// Joins shard states that together tile [0, totalLength) exactly (e.g. from the parameter-server shards).
    /// </summary>
    /// <exception cref="ArgumentException">Kinds, steps or buffer names differ, or the shards leave gaps or overlap.</exception>
    public static OptimizerState Merge(IEnumerable<OptimizerState> shards, int totalLength)
    {
        var ordered = shards.OrderBy(s => s.Offset).ToArray();
        if (ordered.Length == 0)
        {
            throw new ArgumentException("No optimizer shard states to merge.", nameof(shards));
        }
        var first = ordered[0];
        var names = first.Buffers.Keys.Order(StringComparer.Ordinal).ToArray();
        var merged = names.ToDictionary(n => n, _ => new float[totalLength]);
        var cursor = 0;
        foreach (var shard in ordered)
        {
            if (shard.Kind != first.Kind || shard.Step != first.Step)
            {
                throw new ArgumentException($"Optimizer shards disagree: shard at {shard.Offset} is {shard.Kind} step {shard.Step}, shard at {first.Offset} is {first.Kind} step {first.Step}.", nameof(shards));
            }
            if (shard.Offset != cursor)
            {
                throw new ArgumentException($"Optimizer shards do not tile the buffer: expected a shard starting at {cursor}, found one at {shard.Offset}.", nameof(shards));
            }
            if (!shard.Buffers.Keys.Order(StringComparer.Ordinal).SequenceEqual(names))
            {
                throw new ArgumentException($"Optimizer shard at {shard.Offset} has buffers [{string.Join(", ", shard.Buffers.Keys)}], expected [{string.Join(", ", names)}].", nameof(shards));
            }
            if ((long)cursor + shard.Length > totalLength)
            {
                throw new ArgumentException($"Optimizer shard [{shard.Offset}, +{shard.Length}) runs past the total length {totalLength}.", nameof(shards));
            }
            foreach (var name in names)
            {
                shard.Buffers[name].CopyTo(merged[name].AsSpan(cursor));
            }
            cursor += shard.Length;
        }
        if (cursor != totalLength)
        {
            throw new ArgumentException($"Optimizer shards cover [0, {cursor}) but the buffer has {totalLength} elements.", nameof(shards));
        }
        return new OptimizerState(first.Kind, first.Step, 0, totalLength, merged);
    }
}
