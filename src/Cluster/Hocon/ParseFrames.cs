namespace ActorTrain.Cluster.Hocon;

/// <summary>The objects being built while parsing (outermost first) with their paths, so that a self-referential
/// substitution (<c>a = ${a} [x]</c>, <c>a += x</c>) can find the value the field had earlier in the same document.</summary>
internal sealed class ParseFrames
{
    private readonly List<(HoconObject Object, IReadOnlyList<string> Path)> _frames = new();

    public void Push(HoconObject obj, IReadOnlyList<string> path) => _frames.Add((obj, path));

    public void Pop() => _frames.RemoveAt(_frames.Count - 1);

    /// <summary>The latest value defined so far at <paramref name="fieldPath"/>, or null.</summary>
    public HoconNode? FindEarlierValue(IReadOnlyList<string> fieldPath)
    {
        // Innermost frames hold the most recent definitions.
        for (int f = _frames.Count - 1; f >= 0; f--)
        {
            var (obj, framePath) = _frames[f];
            if (framePath.Count >= fieldPath.Count || !framePath.SequenceEqual(fieldPath.Take(framePath.Count), StringComparer.Ordinal)) continue;
            HoconNode current = obj;
            bool found = true;
            for (int i = framePath.Count; i < fieldPath.Count; i++)
            {
                if (current is HoconObject o && o.TryGetValue(fieldPath[i], out var child)) current = child;
                else { found = false; break; }
            }
            if (found) return current;
        }
        return null;
    }
}
