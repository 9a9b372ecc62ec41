namespace ActorTrain.Model.Optim;

/// <summary>A run of shard-local elements with one weight decay.</summary>
internal readonly record struct DecaySegment(int Start, int Length, double WeightDecay);

/// <summary>Cuts a shard into runs of equal weight decay from the full-buffer parameter groups.</summary>
internal static class DecaySegments
{
    /// <summary>
    /// Segments covering [0, shardLength) of the shard at <paramref name="shardOffset"/>. Elements not in any
    /// group get <paramref name="defaultWeightDecay"/>. Groups may lie partly or wholly outside the shard.
    /// </summary>
    /// <exception cref="ArgumentException">Groups overlap or have negative ranges.</exception>
    public static DecaySegment[] Build(int shardOffset, int shardLength, IReadOnlyList<ParameterGroup>? groups, double defaultWeightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(shardLength);
        var sorted = (groups ?? []).ToArray();
        foreach (var g in sorted)
        {
            if (g.Offset < 0 || g.Length < 0)
            {
                throw new ArgumentException($"Parameter group [{g.Offset}, +{g.Length}) has a negative offset or length.", nameof(groups));
            }
            if (!double.IsFinite(g.WeightDecay) || g.WeightDecay < 0)
            {
                throw new ArgumentException($"Parameter group [{g.Offset}, +{g.Length}) has invalid weight decay {g.WeightDecay}.", nameof(groups));
            }
        }
        Array.Sort(sorted, (a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 1; i < sorted.Length; i++)
        {
            if ((long)sorted[i - 1].Offset + sorted[i - 1].Length > sorted[i].Offset)
            {
                throw new ArgumentException(
                    $"Parameter groups [{sorted[i - 1].Offset}, +{sorted[i - 1].Length}) and [{sorted[i].Offset}, +{sorted[i].Length}) overlap; each element belongs to at most one group.",
                    nameof(groups));
            }
        }

        var segments = new List<DecaySegment>();
        long cursor = shardOffset;
        long shardEnd = (long)shardOffset + shardLength;
        void Emit(long start, long end, double wd)
        {
            if (end <= start)
            {
                return;
            }
            var localStart = (int)(start - shardOffset);
            var length = (int)(end - start);
            if (segments.Count > 0 && segments[^1].WeightDecay == wd && segments[^1].Start + segments[^1].Length == localStart)
            {
                segments[^1] = segments[^1] with { Length = segments[^1].Length + length };
            }
            else
            {
                segments.Add(new DecaySegment(localStart, length, wd));
            }
        }
        foreach (var g in sorted)
        {
            var start = Math.Max((long)g.Offset, cursor);
            var end = Math.Min((long)g.Offset + g.Length, shardEnd);
            if (end <= start)
            {
                continue;
            }
            Emit(cursor, start, defaultWeightDecay);
            Emit(start, end, g.WeightDecay);
            cursor = end;
        }
        Emit(cursor, shardEnd, defaultWeightDecay);
        return [.. segments];
    }
}
