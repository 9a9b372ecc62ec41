namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// The address of an actor system: <c>actortrain://&lt;system&gt;@&lt;host&gt;:&lt;port&gt;</c>, or
/// <c>actortrain://&lt;system&gt;</c> for a local-only system (no host and port, as Akka's local scope).
/// Value equality: two addresses are equal when protocol, system, host and port are equal.
/// </summary>
/// <param name="Protocol">The scheme, normally <see cref="DefaultProtocol"/>.</param>
/// <param name="System">The actor system name.</param>
/// <param name="Host">The host the system is bound to, or null for a local-only address.</param>
/// <param name="Port">The port the system is bound to, or null for a local-only address.</param>
public sealed record Address(string Protocol, string System, string? Host = null, int? Port = null)
{
    /// <summary>The scheme of every ActorTrain address.</summary>
    public const string DefaultProtocol = "actortrain";

    /// <summary>Creates a local-only address for <paramref name="system"/>.</summary>
    public static Address Local(string system) => new(DefaultProtocol, system);

    /// <summary>Creates a network address for <paramref name="system"/> bound to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static Address Network(string system, string host, int port) => new(DefaultProtocol, system, host, port);

    /// <summary>True when the address carries a host and port (it can be reached from other nodes).</summary>
    public bool HasGlobalScope => Host is not null && Port is not null;

    /// <inheritdoc />
    public override string ToString() =>
        HasGlobalScope ? $"{Protocol}://{System}@{Host}:{Port}" : $"{Protocol}://{System}";

    /// <summary>Parses <c>protocol://system</c> or <c>protocol://system@host:port</c>.</summary>
    /// <exception cref="FormatException">The text is not an address; the message shows the expected shape.</exception>
    public static Address Parse(string text)
    {
        if (TryParse(text, out var address, out int consumed) && consumed == text.Length)
            return address;
        throw new FormatException(
            $"'{text}' is not an actor system address; expected '{DefaultProtocol}://<system>' or '{DefaultProtocol}://<system>@<host>:<port>'.");
    }

    /// <summary>
    /// Parses an address at the start of <paramref name="text"/>; <paramref name="consumed"/> is the number of characters
    /// that belong to the address (the rest is an actor path).
    /// </summary>
    public static bool TryParse(string text, out Address address, out int consumed)
    {
        address = null!;
        consumed = 0;
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return false;
        string protocol = text[..schemeEnd];
        int start = schemeEnd + 3;
        int end = text.IndexOf('/', start);
        if (end < 0) end = text.Length;
        string authority = text[start..end];
        int at = authority.IndexOf('@');
        if (at < 0)
        {
            if (authority.Length == 0) return false;
            address = new Address(protocol, authority);
        }
        else
        {
            string system = authority[..at];
            string hostPort = authority[(at + 1)..];
            int colon = hostPort.LastIndexOf(':');
            if (system.Length == 0 || colon <= 0) return false;
            string host = hostPort[..colon];
            if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
            if (!int.TryParse(hostPort.AsSpan(colon + 1), global::System.Globalization.NumberStyles.None,
                    global::System.Globalization.CultureInfo.InvariantCulture, out int port) || port > 65535)
                return false;
            address = new Address(protocol, system, host, port);
        }
        consumed = end;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Address? other) =>
        other is not null && Protocol == other.Protocol && System == other.System && Host == other.Host && Port == other.Port;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Protocol, System, Host, Port);
}
