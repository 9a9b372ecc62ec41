using System.Globalization;

namespace ActorTrain.Cluster.Settings;

/// <summary>Checks the form of a seed-node address: <c>akka.tcp://&lt;system&gt;@&lt;host&gt;:&lt;port&gt;</c> (with TLS on,
/// Akka's addresses read <c>akka.ssl.tcp://</c>; either form may be written, the node uses the one its transport has).</summary>
public static class SeedNodeAddress
{
    /// <summary>The scheme every address starts with.</summary>
    public const string Scheme = "akka.tcp://";

    /// <summary>The scheme of addresses of nodes with TLS on.</summary>
    public const string TlsScheme = "akka.ssl.tcp://";

    /// <summary><paramref name="address"/> with the scheme a node of the given TLS setting uses.</summary>
    public static string WithScheme(string address, bool tls)
    {
        string rest = address.StartsWith(TlsScheme, StringComparison.Ordinal) ? address[TlsScheme.Length..]
            : address.StartsWith(Scheme, StringComparison.Ordinal) ? address[Scheme.Length..] : address;
        return (tls ? TlsScheme : Scheme) + rest;
    }

    /// <summary>Splits a valid address into its parts; false (with a reason) when malformed.</summary>
    public static bool TryParse(string address, out string system, out string host, out int port, out string? problem)
    {
        system = host = "";
        port = 0;
        problem = null;
        string scheme = address.StartsWith(TlsScheme, StringComparison.Ordinal) ? TlsScheme : Scheme;
        if (!address.StartsWith(scheme, StringComparison.Ordinal)) { problem = $"must start with '{Scheme}'"; return false; }
        var rest = address.AsSpan(scheme.Length);
        int at = rest.IndexOf('@');
        if (at <= 0) { problem = "must name the actor system before '@' (akka.tcp://system@host:port)"; return false; }
        system = rest[..at].ToString();
        var hostPort = rest[(at + 1)..];
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0) { problem = "must end with host:port"; return false; }
        host = hostPort[..colon].ToString().Trim('[', ']');
        if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
        {
            problem = "must end with a port between 1 and 65535";
            return false;
        }
        return true;
    }

    /// <summary>Null when <paramref name="address"/> is a valid seed address of system <paramref name="systemName"/>, else the problem.</summary>
    public static string? Validate(string address, string systemName)
    {
        if (!TryParse(address, out var system, out _, out _, out var problem)) return problem;
        if (systemName.Length > 0 && system != systemName)
            return $"names system '{system}', but this node's actortrain.cluster.system-name is '{systemName}' (all nodes must use the same name)";
        return null;
    }
}
