namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// The path of an actor: an <see cref="Address"/> plus the names from the root, e.g.
/// <c>actortrain://train@10.0.0.1:2552/user/rank-3</c>. Immutable; equality compares address and elements.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private readonly string[] _elements;
    private string? _withoutAddress;
    private string? _full;

    private ActorPath(Address address, string[] elements)
    {
        Address = address;
        _elements = elements;
    }

    /// <summary>The root path (<c>/</c>) of the system at <paramref name="address"/>.</summary>
    public static ActorPath Root(Address address) => new(address, []);

    /// <summary>The address of the system that hosts the actor.</summary>
    public Address Address { get; }

    /// <summary>The names from the root, e.g. <c>["user", "rank-3"]</c>.</summary>
    public IReadOnlyList<string> Elements => _elements;

    /// <summary>The last element, or <c>"/"</c> for the root.</summary>
    public string Name => _elements.Length == 0 ? "/" : _elements[^1];

    /// <summary>The parent path; the root is its own parent.</summary>
    public ActorPath Parent => _elements.Length == 0 ? this : new ActorPath(Address, _elements[..^1]);

    /// <summary>The path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name)
    {
        var elements = new string[_elements.Length + 1];
        _elements.CopyTo(elements, 0);
        elements[^1] = name;
        return new ActorPath(Address, elements);
    }

    /// <summary>The same elements under another address (used by remoting to publish local paths with the bound address).</summary>
    public ActorPath WithAddress(Address address) => address.Equals(Address) ? this : new ActorPath(address, _elements);

    /// <summary>The path without the address, e.g. <c>/user/rank-3</c>.</summary>
    public string ToStringWithoutAddress() => _withoutAddress ??= "/" + string.Join('/', _elements);

    /// <summary>
    /// The path with <paramref name="address"/> when this path's own address is local-only; this is how a local
    /// sender is written on the wire once remoting has bound the system to a host and port.
    /// </summary>
    public string ToStringWithAddress(Address address) =>
        Address.HasGlobalScope ? ToString() : address + ToStringWithoutAddress();

    /// <inheritdoc />
    public override string ToString() => _full ??= Address + ToStringWithoutAddress();

    /// <summary>Parses a full path such as <c>actortrain://sys@host:1234/user/a</c>.</summary>
    /// <exception cref="FormatException">The text is not a path; the message shows the expected shape.</exception>
    public static ActorPath Parse(string text)
    {
        if (TryParse(text, out var path)) return path;
        throw new FormatException(
            $"'{text}' is not an actor path; expected '{Address.DefaultProtocol}://<system>[@<host>:<port>]/<name>/<name>...'.");
    }

    /// <summary>Tries to parse a full path such as <c>actortrain://sys@host:1234/user/a</c>.</summary>
    public static bool TryParse(string text, out ActorPath path)
    {
        path = null!;
        if (!Address.TryParse(text, out var address, out int consumed)) return false;
        var elements = text[consumed..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        path = new ActorPath(address, elements);
        return true;
    }

    /// <summary>Parses a path relative to the root, e.g. <c>/user/a/b</c>, under <paramref name="address"/>.</summary>
    public static ActorPath FromElements(Address address, string relativePath) =>
        new(address, relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries));

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || _elements.Length != other._elements.Length || !Address.Equals(other.Address)) return false;
        for (int i = _elements.Length - 1; i >= 0; i--)
            if (!string.Equals(_elements[i], other._elements[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Address, ToStringWithoutAddress());
}
