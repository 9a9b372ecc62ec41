using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync.Ring;

/// <summary>
/// The frames one rank's <see cref="TcpRingPump"/> moves for one ring all-reduce: receives in ring order (reduce-scatter
/// steps add, all-gather steps copy), and sends, each gated on the receive that finished its data (chunk c of step t
/// goes out once chunk c of step t−1 has been reduced here).
/// </summary>
internal static class RingPumpSchedule
{
    /// <summary>Builds the send and receive lists of <paramref name="rank"/> of <paramref name="world"/> over <paramref name="plan"/>.</summary>
    public static (List<TcpRingPump.Outgoing> Sends, List<TcpRingPump.Incoming> Receives) Build(RingPlan plan, int rank, int world)
    {
        int steps = 2 * (world - 1);
        var sends = new List<TcpRingPump.Outgoing>();
        var receives = new List<TcpRingPump.Incoming>();
        var receiveIndex = new Dictionary<(int Step, int Chunk), int>();
        for (int t = 0; t < steps; t++)
        {
            int incoming = Mod(rank - t - 1, world);
            for (int c = 0, n = plan.ChunkCount(incoming); c < n; c++)
            {
                var (offset, length) = plan.Chunk(incoming, c);
                receiveIndex[(t, c)] = receives.Count;
                receives.Add(new TcpRingPump.Incoming(offset, length, t < world - 1));
            }
        }
        for (int t = 0; t < steps; t++)
        {
            int outgoing = Mod(rank - t, world);
            for (int c = 0, n = plan.ChunkCount(outgoing); c < n; c++)
            {
                var (offset, length) = plan.Chunk(outgoing, c);
                sends.Add(new TcpRingPump.Outgoing(offset, length, t == 0 ? -1 : receiveIndex[(t - 1, c)]));
            }
        }
        return (sends, receives);
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;
}
