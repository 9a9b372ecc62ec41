using System.Buffers.Binary;

namespace ActorTrain.Model.Sampling;

/// <summary>
/// A small, fast, portable pseudo-random generator: xoshiro256** (Blackman &amp; Vigna, 2018) whose
/// 256-bit state is seeded by running SplitMix64 on the 64-bit seed. The output sequence depends only
/// on the seed — not on the .NET version, the OS or the CPU — so shuffles and data splits are
/// reproducible everywhere. It is NOT bit-compatible with torch.Generator/torch.randperm.
/// </summary>
public sealed class DeterministicRandom
{
    /// <summary>Size in bytes of the serialized state (see <see cref="ExportState"/>).</summary>
    public const int StateSize = 32;

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose sequence is a pure function of <paramref name="seed"/>.</summary>
    public DeterministicRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private DeterministicRandom(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        var result = BitRotate(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    /// <exception cref="ArgumentOutOfRangeException">bound is 0.</exception>
    public ulong NextBounded(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var product = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), bound, out low);
            }
        }
        return product;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = (int)NextBounded((ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n-1 (the analogue of torch.randperm(n, generator=g)).</summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = i;
        }
        Shuffle(result.AsSpan());
        return result;
    }

    /// <summary>The generator state as 32 little-endian bytes, for checkpoints.</summary>
    public byte[] ExportState()
    {
        var bytes = new byte[StateSize];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(0), _s0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), _s1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), _s2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), _s3);
        return bytes;
    }

    /// <summary>Recreates a generator from <see cref="ExportState"/>'s bytes; it continues the same sequence.</summary>
    /// <exception cref="ArgumentException">The bytes are not a valid state.</exception>
    public static DeterministicRandom FromState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize)
        {
            throw new ArgumentException($"A DeterministicRandom state is {StateSize} bytes; got {state.Length}.", nameof(state));
        }
        var s0 = BinaryPrimitives.ReadUInt64LittleEndian(state);
        var s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        var s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        var s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("An all-zero xoshiro256** state is invalid (the generator would only produce zeros).", nameof(state));
        }
        return new DeterministicRandom(s0, s1, s2, s3);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));
}
