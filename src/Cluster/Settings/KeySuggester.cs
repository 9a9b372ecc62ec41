namespace ActorTrain.Cluster.Settings;

/// <summary>Finds the valid key closest to a mistyped one (Levenshtein distance).</summary>
public static class KeySuggester
{
    /// <summary>The candidate nearest to <paramref name="key"/>, or null when none is plausibly what was meant.</summary>
    public static string? Suggest(string key, IEnumerable<string> candidateKeys)
    {
        var candidates = candidateKeys as IReadOnlyCollection<string> ?? candidateKeys.ToList();
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int distance = Distance(key, candidate);
            if (distance < bestDistance || (distance == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best is null) return null;
        if (bestDistance <= 2) return best; // a typo

        // The right key in the wrong section ("actortrain.train.bucket-cap" for "actortrain.job.sync.bucket-cap").
        string leaf = Leaf(key);
        var sameLeaf = candidates
            .Where(c => Distance(Leaf(c), leaf) <= Math.Min(2, leaf.Length / 4))
            .OrderBy(c => Distance(key, c)).ThenBy(c => c, StringComparer.Ordinal)
            .FirstOrDefault();
        if (sameLeaf is not null) return sameLeaf;

        int limit = Math.Max(3, leaf.Length / 2 + 1);
        return bestDistance <= limit ? best : null;
    }

    private static string Leaf(string key) => key[(Math.Max(key.LastIndexOf('.'), key.LastIndexOf('_')) + 1)..];

    /// <summary>Levenshtein edit distance (insertions, deletions, substitutions).</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length == 0) return b.Length;
        if (b.Length == 0) return a.Length;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
