using Xunit;
using ActorTrain.Model.Sampling;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Model.Tests.Sampling;

public class DeterministicRandomTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-7L)]
    public void The_sequence_equals_an_independent_transcription_of_splitmix64_and_xoshiro256starstar(long seed)
    {
        var r = new DeterministicRandom(seed);
        Assert.Equal(ComputeReference(unchecked((ulong)seed), 5), Enumerable.Range(0, 5).Select(_ => r.NextUInt64()).ToArray());
    }

    private static ulong[] ComputeReference(ulong seed, int count)
    {
        // Independent straight transcription of splitmix64.c and xoshiro256starstar.c.
        var x = seed;
        ulong Next64()
        {
            var z = x += 0x9e3779b97f4a7c15;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
            z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
            return z ^ (z >> 31);
        }
        var s = new[] { Next64(), Next64(), Next64(), Next64() };
        static ulong Rotl(ulong v, int k) => (v << k) | (v >> (64 - k));
        var result = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Rotl(s[1] * 5, 7) * 9;
            var t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = Rotl(s[3], 45);
        }
        return result;
    }

    [Fact]
    public void Exported_state_continues_the_same_sequence()
    {
        var r = new DeterministicRandom(42);
        r.NextUInt64();
        var copy = DeterministicRandom.FromState(r.ExportState());
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => r.NextUInt64()), Enumerable.Range(0, 5).Select(_ => copy.NextUInt64()));
    }

    [Fact]
    public void Bounded_values_stay_below_the_bound_and_permutations_are_permutations()
    {
        Prop.ForAll(Arb.From(Gen.Choose(1, 500)), Arb.From(Gen.Choose(int.MinValue, int.MaxValue)), (n, seed) =>
        {
            var r = new DeterministicRandom(seed);
            var perm = r.Permutation(n);
            return perm.Order().SequenceEqual(Enumerable.Range(0, n)) && r.NextBounded((ulong)n) < (ulong)n;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_wrong_state_length_is_rejected()
        => Assert.Throws<ArgumentException>(() => DeterministicRandom.FromState(new byte[5]));
}
