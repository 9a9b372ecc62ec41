using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>Shared inputs, references and checks for the sync tests.</summary>
internal static class SyncTestSupport
{
    /// <summary>Tiny chunks and slots, so that a few thousand floats already exercise pipelining, ring wrap-around and back-pressure.</summary>
    public static GradientSyncOptions SmallOptions(TransportKind transport) => new()
    {
        Transport = transport,
        ChunkBytes = 256,
        TcpChunkBytes = 320, // unlike ChunkBytes, so a path that mixed the two would send frames its peer rejects
        SharedMemorySlots = 3,
        SharedMemorySlotBytes = 192,
        SharedMemoryArenaChunkBytes = 128,
        SocketBufferBytes = 64 * 1024,
        ConnectTimeout = TimeSpan.FromSeconds(20),
        CollectiveTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Rank <paramref name="rank"/>'s input: values spanning several magnitudes and both signs.</summary>
    public static float[] Input(int seed, int rank, int length)
    {
        var random = new Random(unchecked(seed * 7919 + rank)); // stable across processes (HashCode is not)
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-3, 4)));
        return values;
    }

    /// <summary>Fails unless every element is within float32 rounding of the float64 sum of the inputs.</summary>
    public static void AssertCloseToSum(float[] result, float[][] inputs, double divisor = 1)
    {
        int world = inputs.Length;
        for (int i = 0; i < result.Length; i++)
        {
            double sum = 0, magnitude = 0;
            foreach (var input in inputs) { sum += input[i]; magnitude += Math.Abs(input[i]); }
            double tolerance = 2 * world * 1.2e-7 * magnitude / divisor + 1e-30;
            double error = Math.Abs(result[i] - sum / divisor);
            if (error > tolerance)
                throw new Xunit.Sdk.XunitException($"element {i}: got {result[i]:R}, float64 reference {sum / divisor:R} (tolerance {tolerance:R}, world {world})");
        }
    }

    /// <summary>Fails unless all buffers hold the same bits.</summary>
    public static void AssertBitwiseIdentical(float[][] buffers)
    {
        for (int r = 1; r < buffers.Length; r++)
        {
            var a = System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffers[0].AsSpan());
            var b = System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffers[r].AsSpan());
            if (!a.SequenceEqual(b))
                throw new Xunit.Sdk.XunitException($"rank {r}'s result differs bitwise from rank 0's");
        }
    }

    /// <summary>(world 1..8, length 0..5000 with a bias to lengths below the world size, seed).</summary>
    public static Arbitrary<(int World, int Length, int Seed)> Cases(int maxWorld = 8) =>
        Arb.From(
            from world in Gen.Choose(1, maxWorld)
            from length in Gen.OneOf(Gen.Choose(0, 10), Gen.Choose(0, 5000))
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (world, length, seed));

    /// <summary>Runs a property <paramref name="tests"/> times, throwing on the first counterexample.</summary>
    public static void Check(Arbitrary<(int World, int Length, int Seed)> cases, int tests, Action<(int World, int Length, int Seed)> property) =>
        Prop.ForAll(cases, property).Check(Config.QuickThrowOnFailure.WithMaxTest(tests));

    /// <summary>Sync groups reused across the cases of one property, keyed by world size.</summary>
    public sealed class GroupCache(SyncStrategy strategy, GradientSyncOptions options, int shards = 2) : IAsyncDisposable
    {
        private readonly Dictionary<int, InProcessSyncGroup> _groups = [];

        public InProcessSyncGroup For(int world)
        {
            if (!_groups.TryGetValue(world, out var group))
            {
                group = InProcessSyncGroup.CreateAsync(world, strategy, options, parameterServerShards: Math.Min(shards, world + 1))
                    .WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
                _groups[world] = group;
            }
            return group;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var group in _groups.Values) await group.DisposeAsync();
        }
    }
}
