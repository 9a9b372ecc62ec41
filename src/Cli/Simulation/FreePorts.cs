using System.Net;
using System.Net.Sockets;

namespace ActorTrain.Cli.Simulation;

/// <summary>Finds free TCP ports on 127.0.0.1 by letting the OS choose (bind to port 0).</summary>
public static class FreePorts
{
    /// <summary>Returns <paramref name="count"/> distinct ports that were free a moment ago.</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var l = new TcpListener(IPAddress.Loopback, 0);
                l.Start();
                listeners.Add(l);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
