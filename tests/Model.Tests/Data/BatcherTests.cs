using ActorTrain.Model.Data;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Data;

public class BatcherTests
{
    [Fact]
    public void Arithmetic_samples_have_targets_only_on_the_answer_digits_and_end_marker()
    {
        var tok = ByteTokenizer.Instance;
        var batch = new Batcher(16).Collate([new ArithmeticProblem(317, '+', 48).ToSequence(tok), new ArithmeticProblem(1, '+', 2).ToSequence(tok)]);
        Assert.Equal(2, batch.BatchSize);
        Assert.Equal(10, batch.SequenceLength); // "317+48=365\n" is 11 tokens → 10 positions
        Assert.Equal(tok.Encode("317+48=365"), batch.Inputs[..10]);
        long[] expectedRow0 = [-100, -100, -100, -100, -100, -100, '3', '6', '5', '\n'];
        Assert.Equal(expectedRow0, batch.Targets[..10]);
        // "1+2=3\n": inputs "1+2=3", then padding (token 0) with ignored targets.
        Assert.Equal([.. tok.Encode("1+2=3"), 0, 0, 0, 0, 0], batch.Inputs[10..]);
        Assert.Equal([-100, -100, -100, '3', '\n', -100, -100, -100, -100, -100], batch.Targets[10..]);
        Assert.Equal(6, batch.TargetTokenCount);
        Assert.Equal(6, Batcher.CountTargetTokens(batch.Targets));
    }

    [Fact]
    public void For_any_ragged_batch_targets_are_the_shifted_labels_and_padding_is_ignored()
    {
        var gen = from rows in Gen.Choose(1, 6)
                  from lengths in Gen.ArrayOf(Gen.Choose(0, 20), rows)
                  from max in Gen.Choose(1, 24)
                  from pad in Gen.Elements(true, false)
                  select (lengths, max, pad);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var (lengths, max, pad) = t;
            var sequences = lengths.Select((n, r) =>
            {
                var tokens = Enumerable.Range(0, n).Select(i => (long)(r * 31 + i) % 256).ToArray();
                var labels = tokens.Select((x, i) => i % 3 == 0 ? TrainingSequence.IgnoreIndex : x).ToArray();
                return new TrainingSequence(tokens, labels);
            }).ToArray();
            var batch = new Batcher(max, pad).Collate(sequences);
            var T = batch.SequenceLength;
            if (T != (pad ? max : Math.Max(1, Math.Min(max, lengths.Max() - 1))))
            {
                return false;
            }
            var expectedCount = 0;
            for (var r = 0; r < sequences.Length; r++)
            {
                var used = Math.Clamp(sequences[r].Length - 1, 0, T);
                for (var c = 0; c < T; c++)
                {
                    var input = batch.Inputs[r * T + c];
                    var target = batch.Targets[r * T + c];
                    var ok = c < used
                        ? input == sequences[r].Tokens[c] && target == sequences[r].Labels[c + 1]
                        : input == 0 && target == TrainingSequence.IgnoreIndex;
                    if (!ok)
                    {
                        return false;
                    }
                    expectedCount += target != TrainingSequence.IgnoreIndex ? 1 : 0;
                }
            }
            return batch.TargetTokenCount == expectedCount;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Collating_into_caller_buffers_matches_and_allocates_nothing()
    {
        var tok = ByteTokenizer.Instance;
        var seqs = new[] { new ArithmeticProblem(12, '+', 34).ToSequence(tok), new ArithmeticProblem(5, '+', 5).ToSequence(tok) };
        var batcher = new Batcher(12, padToMaxLength: true);
        var inputs = new long[24];
        var targets = new long[24];
        batcher.Collate(seqs, 12, inputs, targets);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = batcher.Collate(seqs, 12, inputs, targets);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var batch = batcher.Collate(seqs);
        Assert.Equal(batch.Inputs, inputs);
        Assert.Equal(batch.Targets, targets);
        Assert.Equal(batch.TargetTokenCount, count);
    }

    [Fact]
    public void Empty_batches_and_too_small_buffers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Batcher(8).Collate([]));
        Assert.Throws<ArgumentException>(() => new Batcher(8).Collate([TrainingSequence.Unmasked([1, 2, 3])], 8, new long[4], new long[8]));
    }
}
