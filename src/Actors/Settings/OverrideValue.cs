using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Actors.Settings;

/// <summary>Turns the text of an override (--set value or environment variable) into a config value, typed by the key's
/// default in reference.conf: string keys take the text verbatim (a secret may contain '#'); list keys take HOCON
/// <c>[...]</c> or comma-separated items; other keys take a HOCON value (number, boolean, duration, ...).</summary>
internal static class OverrideValue
{
    public static HoconNode Parse(string path, string text, string source, Config reference)
    {
        var origin = new HoconOrigin(source, 0, 0);
        var referenceNode = FindUnresolved(reference.Root, path);
        switch (referenceNode)
        {
            case HoconScalar { Kind: HoconScalarKind.String }:
            case HoconSubstitution:
                return HoconScalar.String(text, origin);
            case HoconArray when !text.TrimStart().StartsWith('['):
            {
                var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return new HoconArray(items.Select(i => (HoconNode)HoconScalar.String(i, origin)), origin);
            }
        }
        try
        {
            return ConfigFactory.ParseValue(text, path, source);
        }
        catch (HoconParseException)
        {
            // Not valid HOCON: keep the text, and let binding report the key, this value and the expected type.
            return HoconScalar.String(text, origin);
        }
    }

    /// <summary>The node at <paramref name="path"/> without resolving substitutions, or null.</summary>
    public static HoconNode? FindUnresolved(HoconObject root, string path)
    {
        HoconNode current = root;
        foreach (var segment in HoconPath.Parse(path).Segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var child)) return null;
            current = child;
        }
        return current;
    }
}
