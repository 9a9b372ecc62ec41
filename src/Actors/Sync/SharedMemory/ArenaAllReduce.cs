using System.Numerics.Tensors;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync.SharedMemory;

/// <summary>
/// All-reduce for a group whose ranks all live on one machine, through one <see cref="SharedMemoryArena"/> instead of
/// a ring of point-to-point channels. The buffer is processed in chunks of the arena's chunk size, each through one
/// of the arena's slots; per chunk:
/// (1) every rank copies its chunk into its input area (except its own slice, which only it reads);
/// (2) once all inputs are there, rank r sums slice r of the chunk over ranks 0..W−1 in that order (vectorised, block
/// by block so the running sum stays in L1), writes it to the output area and into its own buffer;
/// (3) once all slices are reduced, every rank copies the other slices from the output area.
/// Each element is summed exactly once, in a fixed order, and then copied, so all ranks hold the same bits.
/// Per rank and byte that is about 4.5 memory passes, mostly in cache, against 2(W−1) dependent hand-offs and 6–7
/// passes for a ring over shared-memory channels. With several slots a rank that has the CPU runs ahead (copies in
/// further chunks, reduces and copies out whatever is ready) instead of waiting for each step of the slowest rank,
/// which matters when ranks outnumber cores.
/// <para>
/// Counters (absolute chunk numbers, continuous across collectives): Input = chunks copied in, Reduced = chunks whose
/// slice is reduced, Output = chunks copied out. Chunk a may be copied into slot a mod S once every rank has reduced
/// chunk a−S (nobody reads that input any more), reduced once every rank copied it in and copied chunk a−S out (the
/// output area is free), and copied out once every rank reduced it. Joined (plus the header slots, which alternate)
/// checks that all ranks run the same collective before any data moves.
/// </para>
/// </summary>
internal sealed unsafe class ArenaAllReduce(SharedMemoryArena arena, int rank)
{
    private const int BlockFloats = 2048; // 8 KiB: the running sum stays in L1 while each source streams past once

    private static readonly Func<ArenaAllReduce, bool> CanProgressOf = self => self.CanProgress();
    private static readonly Func<ArenaAllReduce, bool> AllJoinedOf = self => self.AllJoined();

    private long _base; // absolute number of the current collective's chunk 0
    private int _joins;
    private int _chunks, _copiedIn, _reduced, _copiedOut;

    /// <summary>Runs one all-reduce of <paramref name="data"/> in place. Throws <see cref="ArenaMismatchException"/> when a rank announced another collective.</summary>
    public void Run(Span<float> data, in CollectiveHeader header)
    {
        Join(header);
        _chunks = (data.Length + arena.ChunkFloats - 1) / arena.ChunkFloats;
        float** sources = stackalloc float*[arena.World];
        fixed (float* buffer = data)
        {
            var phases = new AllReducePhases(this, buffer, data.Length, sources,
                average: header.Op == CollectiveOp.AllReduce && (ReduceOp)header.Argument == ReduceOp.Average);
            Drive(ref phases);
        }
    }

    /// <summary>
    /// Runs one reduce-scatter (<paramref name="gather"/> false: afterwards this rank's <see cref="ShardPartition"/>
    /// shard of <paramref name="data"/> holds the sum over ranks, the rest of the buffer is left as it was) or
    /// all-gather (true: every rank's shard is copied, bitwise, to every other rank) through the same slots and counters
    /// as <see cref="Run"/>. The shards are contiguous, so the work goes in rounds: round k carries the k-th piece of
    /// at most <see cref="ShardedPieceFloats"/> of every rank's shard, each piece at a fixed place of the slot. A
    /// reduce-scatter copies in and reduces, but copies nothing out; an all-gather copies its own piece to the output
    /// area and the others' pieces out. Sums are in rank order 0..W−1, as in <see cref="Run"/>.
    /// </summary>
    public void RunSharded(Span<float> data, in CollectiveHeader header, bool gather)
    {
        int world = arena.World, piece = ShardedPieceFloats(arena.ChunkFloats, world);
        if (piece < 1) throw new InvalidOperationException($"arena chunks of {arena.ChunkFloats} floats cannot hold a piece for each of {world} ranks");
        Join(header);
        int longest = 0;
        for (int r = 0; r < world; r++) longest = Math.Max(longest, ShardPartition.Of(data.Length, world, r).Length);
        _chunks = (longest + piece - 1) / piece;
        float** sources = stackalloc float*[world];
        fixed (float* buffer = data)
        {
            var phases = new ShardedPhases(this, buffer, data.Length, piece, sources, gather,
                average: !gather && (ReduceOp)header.Argument == ReduceOp.Average);
            Drive(ref phases);
        }
    }

    /// <summary>What a collective does with chunk (or round) <c>index</c> in each of the three steps <see cref="Drive"/> schedules.</summary>
    private interface IChunkPhases
    {
        void CopyIn(int index);

        void Reduce(int index);

        void CopyOut(int index);
    }

    /// <summary>
    /// Runs <see cref="_chunks"/> chunks through the slots: copies in, reduces and copies out whatever the counters allow
    /// (publishing each step), and sleeps only when nothing can move. A struct type argument, so the phases inline.
    /// </summary>
    private void Drive<TPhases>(ref TPhases phases) where TPhases : struct, IChunkPhases
    {
        _copiedIn = _reduced = _copiedOut = 0;
        while (_copiedOut < _chunks)
        {
            bool progressed = false;
            while (CanCopyIn())
            {
                phases.CopyIn(_copiedIn);
                arena.Publish(rank, SharedMemoryArena.Counter.Input, Absolute(++_copiedIn));
                progressed = true;
            }
            while (CanReduce())
            {
                phases.Reduce(_reduced);
                arena.Publish(rank, SharedMemoryArena.Counter.Reduced, Absolute(++_reduced));
                progressed = true;
            }
            while (CanCopyOut())
            {
                phases.CopyOut(_copiedOut);
                arena.Publish(rank, SharedMemoryArena.Counter.Output, Absolute(++_copiedOut));
                progressed = true;
            }
            if (!progressed) arena.WaitUntil(CanProgressOf, this);
        }
        _base += _chunks;
    }

    /// <summary>All-reduce: chunk c is the buffer's c-th run of the arena's chunk size, rank r reducing slice r of it.</summary>
    private readonly struct AllReducePhases(ArenaAllReduce owner, float* buffer, int length, float** sources, bool average) : IChunkPhases
    {
        public void CopyIn(int index)
        {
            float* chunk = owner.Locate(buffer, index, length, out int start, out int end, out int count, out int slot);
            float* input = owner.Arena.Input(slot, owner.Rank);
            new Span<float>(chunk, start).CopyTo(new Span<float>(input, start));
            new Span<float>(chunk + end, count - end).CopyTo(new Span<float>(input + end, count - end));
        }

        public void Reduce(int index)
        {
            var arena = owner.Arena;
            float* chunk = owner.Locate(buffer, index, length, out int start, out int end, out _, out int slot);
            for (int r = 0; r < arena.World; r++) sources[r] = (r == owner.Rank ? chunk : arena.Input(slot, r)) + start;
            float* output = arena.Output(slot) + start;
            SumInOrder(sources, arena.World, output, end - start);
            var sum = new Span<float>(output, end - start);
            if (average) TensorPrimitives.Divide(sum, arena.World, sum);
            sum.CopyTo(new Span<float>(chunk + start, end - start));
        }

        public void CopyOut(int index)
        {
            float* chunk = owner.Locate(buffer, index, length, out int start, out int end, out int count, out int slot);
            float* output = owner.Arena.Output(slot);
            new Span<float>(output, start).CopyTo(new Span<float>(chunk, start));
            new Span<float>(output + end, count - end).CopyTo(new Span<float>(chunk + end, count - end));
        }
    }

    /// <summary>Reduce-scatter or all-gather: round k carries the k-th piece of every rank's shard (see <see cref="RunSharded"/>).</summary>
    private readonly struct ShardedPhases(ArenaAllReduce owner, float* buffer, int length, int piece, float** sources, bool gather, bool average)
        : IChunkPhases
    {
        public void CopyIn(int index)
        {
            if (gather) return; // an all-gather has no inputs: each rank publishes its own piece straight to the output area
            int world = owner.Arena.World, rank = owner.Rank;
            float* input = owner.Arena.Input(owner.SlotOf(index), rank);
            for (int r = 0; r < world; r++)
            {
                if (r == rank) continue;
                int count = owner.Piece(length, r, index, piece, out int at);
                new Span<float>(buffer + at, count).CopyTo(new Span<float>(input + r * piece, count));
            }
        }

        public void Reduce(int index)
        {
            var arena = owner.Arena;
            int slot = owner.SlotOf(index), rank = owner.Rank;
            int count = owner.Piece(length, rank, index, piece, out int at);
            float* output = arena.Output(slot) + rank * piece;
            if (gather)
            {
                new Span<float>(buffer + at, count).CopyTo(new Span<float>(output, count));
                return;
            }
            for (int r = 0; r < arena.World; r++) sources[r] = r == rank ? buffer + at : arena.Input(slot, r) + rank * piece;
            SumInOrder(sources, arena.World, output, count);
            var sum = new Span<float>(output, count);
            if (average) TensorPrimitives.Divide(sum, arena.World, sum);
            sum.CopyTo(new Span<float>(buffer + at, count));
        }

        public void CopyOut(int index)
        {
            if (!gather) return; // a reduce-scatter leaves the other ranks' shards alone
            int world = owner.Arena.World, rank = owner.Rank;
            float* output = owner.Arena.Output(owner.SlotOf(index));
            for (int r = 0; r < world; r++)
            {
                if (r == rank) continue;
                int count = owner.Piece(length, r, index, piece, out int at);
                new Span<float>(output + r * piece, count).CopyTo(new Span<float>(buffer + at, count));
            }
        }
    }

    private SharedMemoryArena Arena => arena;

    private int Rank => rank;

    /// <summary>
    /// Floats of each rank's shard carried per round by <see cref="RunSharded"/>: the chunk split W ways, rounded down
    /// to whole cache lines when a share holds at least one. Zero when the chunk is smaller than the world.
    /// </summary>
    internal static int ShardedPieceFloats(int chunkFloats, int world) =>
        chunkFloats / world >= 16 ? chunkFloats / world & ~15 : chunkFloats / world;

    /// <summary>
    /// Start of rank <paramref name="slice"/>'s slice of a chunk of <paramref name="count"/> floats: ⌊s·count/W⌋
    /// rounded up to 16 floats (one cache line, so slices written by different ranks never share a line).
    /// </summary>
    internal static int SliceStart(int slice, int count, int world) =>
        slice >= world ? count : Math.Min(count, (int)((long)slice * count / world + 15) & ~15);

    /// <summary>Announces <paramref name="header"/>, waits until every rank has announced its collective and checks they agree.</summary>
    private void Join(in CollectiveHeader header)
    {
        int parity = _joins & 1; // headers alternate, so the next collective never overwrites one still being read
        long* mine = arena.Header(rank, parity);
        mine[0] = (long)header.Op; mine[1] = header.Sequence; mine[2] = header.Count; mine[3] = header.Argument;
        arena.Publish(rank, SharedMemoryArena.Counter.Joined, _joins + 1);
        arena.WaitUntil(AllJoinedOf, this);
        _joins++;
        for (int r = 0; r < arena.World; r++)
        {
            long* theirs = arena.Header(r, parity);
            var other = new CollectiveHeader((CollectiveOp)theirs[0], theirs[1], theirs[2], theirs[3]);
            if (other != header) throw new ArenaMismatchException(r, other);
        }
    }

    private int SlotOf(int index) => (int)((_base + index) % arena.Slots);

    /// <summary>Round <paramref name="round"/>'s piece of rank <paramref name="shardOf"/>'s shard: its length, and its start in the buffer.</summary>
    private int Piece(int length, int shardOf, int round, int piece, out int at)
    {
        var (offset, shardLength) = ShardPartition.Of(length, arena.World, shardOf);
        int from = Math.Min(shardLength, round * piece);
        at = offset + from;
        return Math.Min(piece, shardLength - from);
    }

    /// <summary>The counter value that says "chunks 0..n−1 of this collective are done".</summary>
    private int Absolute(int n) => unchecked((int)(_base + n));

    private bool AllJoined() => arena.AllReached(SharedMemoryArena.Counter.Joined, _joins + 1);

    // Slot reuse: chunk c−S used the same slot; the comparisons are on absolute counters, so this also covers the
    // previous collective's last chunks.
    private bool CanCopyIn() => _copiedIn < _chunks && arena.AllReached(SharedMemoryArena.Counter.Reduced, Absolute(_copiedIn - arena.Slots + 1));

    private bool CanReduce() => _reduced < _copiedIn
        && arena.AllReached(SharedMemoryArena.Counter.Input, Absolute(_reduced + 1))
        && arena.AllReached(SharedMemoryArena.Counter.Output, Absolute(_reduced - arena.Slots + 1));

    private bool CanCopyOut() => _copiedOut < _reduced && arena.AllReached(SharedMemoryArena.Counter.Reduced, Absolute(_copiedOut + 1));

    private bool CanProgress() => CanCopyIn() || CanReduce() || CanCopyOut();

    /// <summary>Chunk <paramref name="index"/> of the buffer: its start, this rank's slice bounds, its length and its slot.</summary>
    private float* Locate(float* buffer, int index, int length, out int start, out int end, out int count, out int slot)
    {
        int chunkFloats = arena.ChunkFloats, offset = index * chunkFloats;
        count = Math.Min(chunkFloats, length - offset);
        start = SliceStart(rank, count, arena.World);
        end = SliceStart(rank + 1, count, arena.World);
        slot = (int)((_base + index) % arena.Slots);
        return buffer + offset;
    }

    /// <summary>destination[i] = ((s0[i] + s1[i]) + s2[i]) + … block by block: the same order (and bits) as repeated pairwise adds.</summary>
    private static void SumInOrder(float** sources, int world, float* destination, int count)
    {
        for (int block = 0; block < count; block += BlockFloats)
        {
            int n = Math.Min(BlockFloats, count - block);
            var sum = new Span<float>(destination + block, n);
            TensorPrimitives.Add(new ReadOnlySpan<float>(sources[0] + block, n), new ReadOnlySpan<float>(sources[1] + block, n), sum);
            for (int r = 2; r < world; r++) TensorPrimitives.Add(sum, new ReadOnlySpan<float>(sources[r] + block, n), sum);
        }
    }
}
