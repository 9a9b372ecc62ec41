using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary>Finds keys under a root (e.g. <c>actortrain</c>) that a user config sets but reference.conf does not define,
/// each reported with the nearest valid key.</summary>
public static class UnknownKeyChecker
{
    /// <summary>Checks every key under <paramref name="rootKey"/> in <paramref name="userConfig"/> (before fallback) against
    /// <paramref name="reference"/>. Keys outside <paramref name="rootKey"/> are ignored (they may belong to other tools).</summary>
    public static IReadOnlyList<SettingsError> Check(Config userConfig, Config reference, string rootKey = "actortrain")
    {
        var errors = new List<SettingsError>();
        if (!userConfig.Root.TryGetValue(rootKey, out var userRoot)) return errors;
        if (!reference.Root.TryGetValue(rootKey, out var referenceRoot) || referenceRoot is not HoconObject referenceObject)
            throw new ArgumentException($"The reference config has no '{rootKey}' object.", nameof(reference));

        var validKeys = new List<string>();
        CollectKeys(referenceObject, rootKey, validKeys);
        Walk(userRoot, referenceObject, rootKey, validKeys, errors);
        return errors;
    }

    private static void CollectKeys(HoconObject obj, string path, List<string> keys)
    {
        foreach (var (key, value) in obj.Fields)
        {
            string childPath = path + "." + HoconPath.QuoteIfNeeded(key);
            keys.Add(childPath);
            if (value is HoconObject child) CollectKeys(child, childPath, keys);
        }
    }

    private static void Walk(HoconNode user, HoconObject reference, string path, List<string> validKeys, List<SettingsError> errors)
    {
        if (user is not HoconObject userObject)
        {
            if (user is HoconSubstitution or HoconConcatenation) return; // resolved later; the binder checks the values
            errors.Add(new SettingsError(path,
                $"'{path}' (at {user.Origin}) must be an object {{ ... }} holding settings, got a {user.KindName}", user.Origin));
            return;
        }
        foreach (var (key, value) in userObject.Fields)
        {
            string childPath = path + "." + HoconPath.QuoteIfNeeded(key);
            if (!reference.TryGetValue(key, out var referenceValue))
            {
                var suggestion = KeySuggester.Suggest(childPath, validKeys);
                string hint = suggestion is null
                    ? $" — valid keys here: {string.Join(", ", reference.Keys)}"
                    : $" — did you mean '{suggestion}'?";
                errors.Add(new SettingsError(childPath, $"unknown key '{childPath}' in {value.Origin}{hint}", value.Origin));
                continue;
            }
            if (referenceValue is HoconObject referenceChild) Walk(value, referenceChild, childPath, validKeys, errors);
        }
    }
}
