using System.Net;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// An HTTP endpoint a node may serve: <c>actortrain.metrics</c> (Prometheus <c>/metrics</c>, every node) and
/// <c>actortrain.dashboard</c> (the live cluster dashboard, the coordinator's node). Off while the port is 0.
/// </summary>
public sealed record HttpEndpointSettings
{
    /// <summary>TCP port, 1..65535; 0 = off.</summary>
    public int Port { get; init; }

    /// <summary>Address to bind: an IP address (127.0.0.1 by default: loopback only; 0.0.0.0 = every interface).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Whether the endpoint is served.</summary>
    public bool Enabled => Port > 0;

    /// <summary>The URL of <paramref name="path"/> on this endpoint, for log lines and users.</summary>
    public string Url(string path) => $"http://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}{path}";

    /// <summary>Reads and validates <paramref name="section"/> (<c>actortrain.metrics</c> or <c>actortrain.dashboard</c>).</summary>
    public static HttpEndpointSettings Bind(SettingsReader reader, string section)
    {
        var settings = new HttpEndpointSettings
        {
            Port = reader.Int(section + ".port", 0, 65535),
            Host = reader.NonEmptyString(section + ".host"),
        };
        if (reader.Ok(section + ".host"))
            reader.Require(IPAddress.TryParse(settings.Host, out _), section + ".host",
                "must be an IP address to bind to (127.0.0.1 = this machine only, 0.0.0.0 = every interface)");
        return settings;
    }
}
