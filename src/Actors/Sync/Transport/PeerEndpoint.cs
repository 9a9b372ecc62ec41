using System.Net;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Where a rank (or parameter-server shard) listens for sync connections: the rendezvous input.
/// <paramref name="MachineId"/> identifies the machine (<see cref="MachineIdentity"/>); ranks with equal machine ids use
/// shared memory under <see cref="TransportKind.Auto"/>.
/// </summary>
public sealed record PeerEndpoint(int Rank, string Host, int Port, string MachineId)
{
    /// <summary>"127.0.0.1:5002 on machine m1".</summary>
    public string Address => $"{Host}:{Port} on machine {MachineId}";

    /// <summary>True when both endpoints are on the same machine (equal machine ids, or both loopback when ids are empty).</summary>
    public bool IsSameMachineAs(PeerEndpoint other)
    {
        if (MachineId.Length > 0 || other.MachineId.Length > 0)
            return string.Equals(MachineId, other.MachineId, StringComparison.Ordinal);
        return IsLoopback(Host) && IsLoopback(other.Host);
    }

    /// <summary>This machine's id for the shared-memory choice (see <see cref="MachineIdentity"/>).</summary>
    public static string LocalMachineId() => MachineIdentity.Local();

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
