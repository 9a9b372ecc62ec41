namespace ActorTrain.Model.Data;

/// <summary>
/// Collates ragged <see cref="TrainingSequence"/>s into (input, target) int64 arrays [batch, T] for
/// next-token prediction: <c>input[b, t] = Tokens[t]</c>, <c>target[b, t] = Labels[t + 1]</c>. Rows
/// shorter than T are padded with <see cref="PaddingToken"/> inputs and -100 targets; sequences longer
/// than <see cref="MaxSequenceLength"/> + 1 tokens are cut at the end.
/// </summary>
public sealed class Batcher
{
    /// <summary>Creates a batcher.</summary>
    /// <param name="maxSequenceLength">Largest T (the model's context length).</param>
    /// <param name="padToMaxLength">Always use T = maxSequenceLength; otherwise T = the longest row of the batch.</param>
    /// <param name="paddingToken">Input id placed on padding positions (its targets are -100).</param>
    public Batcher(int maxSequenceLength, bool padToMaxLength = false, long paddingToken = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequenceLength, 1);
        MaxSequenceLength = maxSequenceLength;
        PadToMaxLength = padToMaxLength;
        PaddingToken = paddingToken;
    }

    /// <summary>Largest T.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>Whether T is always <see cref="MaxSequenceLength"/>.</summary>
    public bool PadToMaxLength { get; }

    /// <summary>Input id on padding positions.</summary>
    public long PaddingToken { get; }

    /// <summary>The T a batch of <paramref name="sequences"/> gets.</summary>
    public int SequenceLengthFor(IReadOnlyList<TrainingSequence> sequences)
    {
        if (PadToMaxLength)
        {
            return MaxSequenceLength;
        }
        var longest = 1;
        foreach (var s in sequences)
        {
            longest = Math.Max(longest, Math.Min(s.Length - 1, MaxSequenceLength));
        }
        return longest;
    }

    /// <summary>Collates <paramref name="sequences"/> into a new <see cref="Batch"/>.</summary>
    public Batch Collate(IReadOnlyList<TrainingSequence> sequences)
    {
        if (sequences.Count == 0)
        {
            throw new ArgumentException("Cannot collate an empty batch.", nameof(sequences));
        }
        var t = SequenceLengthFor(sequences);
        var inputs = new long[sequences.Count * t];
        var targets = new long[inputs.Length];
        var count = Collate(sequences, t, inputs, targets);
        var used = sequences.Sum(s => Math.Clamp(s.Length - 1, 0, t));
        return new Batch(inputs, targets, sequences.Count, t, count) { PaddingPositions = inputs.Length - used };
    }

    /// <summary>
    /// Packs <paramref name="sequences"/> into as few rows of at most <see cref="MaxSequenceLength"/> positions as greedy
    /// first-fit in order gives: each sample keeps its own (input, target) pairs (a sample's last target is never its
    /// neighbour's first token), <see cref="Batch.PositionIds"/> restart at 0 per sample and <see cref="Batch.SegmentIds"/>
    /// number the samples of a row, so a block-diagonal causal mask keeps every sample to itself.
    /// </summary>
    public Batch CollatePacked(IReadOnlyList<TrainingSequence> sequences)
    {
        if (sequences.Count == 0) throw new ArgumentException("Cannot collate an empty batch.", nameof(sequences));
        var rows = new List<List<TrainingSequence>>();
        var fill = new List<int>();
        foreach (var s in sequences)
        {
            var used = Math.Clamp(s.Validate().Length - 1, 0, MaxSequenceLength);
            var row = fill.FindIndex(f => f + used <= MaxSequenceLength);
            if (row < 0) { rows.Add([]); fill.Add(0); row = rows.Count - 1; }
            rows[row].Add(s);
            fill[row] += used;
        }
        var t = PadToMaxLength ? MaxSequenceLength : Math.Max(1, fill.Max());
        var n = rows.Count * t;
        long[] inputs = new long[n], targets = new long[n], positions = new long[n], segments = new long[n];
        var count = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            var at = r * t;
            for (var k = 0; k < rows[r].Count; k++)
            {
                var s = rows[r][k];
                var used = Math.Clamp(s.Length - 1, 0, MaxSequenceLength);
                s.Tokens.AsSpan(0, used).CopyTo(inputs.AsSpan(at));
                s.Labels.AsSpan(1, used).CopyTo(targets.AsSpan(at));
                count += CountTargetTokens(s.Labels.AsSpan(1, used));
                for (var i = 0; i < used; i++) { positions[at + i] = i; segments[at + i] = k; }
                at += used;
            }
            var end = (r + 1) * t;
            inputs.AsSpan(at, end - at).Fill(PaddingToken);
            targets.AsSpan(at, end - at).Fill(TrainingSequence.IgnoreIndex);
            for (var i = at; i < end; i++) { positions[i] = i - at; segments[i] = rows[r].Count; }
        }
        return new Batch(inputs, targets, rows.Count, t, count)
        {
            PositionIds = positions, SegmentIds = segments, PaddingPositions = n - fill.Sum(),
        };
    }

    /// <summary>
    /// Collates into caller-owned buffers of at least sequences.Count × <paramref name="sequenceLength"/>
    /// elements (no allocation); returns the number of non-ignored targets.
    /// </summary>
    public int Collate(IReadOnlyList<TrainingSequence> sequences, int sequenceLength, Span<long> inputs, Span<long> targets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequenceLength, MaxSequenceLength);
        var needed = sequences.Count * sequenceLength;
        if (inputs.Length < needed || targets.Length < needed)
        {
            throw new ArgumentException($"Batch of {sequences.Count} × {sequenceLength} needs {needed} elements per buffer; got {inputs.Length} and {targets.Length}.");
        }
        var count = 0;
        for (var b = 0; b < sequences.Count; b++)
        {
            var s = sequences[b].Validate();
            var row = b * sequenceLength;
            var used = Math.Clamp(s.Length - 1, 0, sequenceLength);
            var inputRow = inputs.Slice(row, sequenceLength);
            var targetRow = targets.Slice(row, sequenceLength);
            if (used > 0)
            {
                s.Tokens.AsSpan(0, used).CopyTo(inputRow);
                s.Labels.AsSpan(1, used).CopyTo(targetRow);
            }
            inputRow[used..].Fill(PaddingToken);
            targetRow[used..].Fill(TrainingSequence.IgnoreIndex);
            count += CountTargetTokens(targetRow[..used]);
        }
        return count;
    }

    /// <summary>Number of targets that are not -100 (the token count a sum-reduced loss is divided by).</summary>
    public static int CountTargetTokens(ReadOnlySpan<long> targets)
        => targets.Length - System.MemoryExtensions.Count(targets, TrainingSequence.IgnoreIndex);
}
