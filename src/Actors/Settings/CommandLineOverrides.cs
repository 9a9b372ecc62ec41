using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>Builds the config layer of <c>--set key=value</c> options (later options win).</summary>
public static class CommandLineOverrides
{
    /// <summary>The overrides as a config; malformed options are added to <paramref name="errors"/>.</summary>
    public static Config Build(IEnumerable<string> sets, Config reference, ICollection<SettingsError> errors)
    {
        var layer = Config.Empty;
        foreach (var set in sets)
        {
            int eq = set.IndexOf('=');
            string source = $"--set {set}";
            if (eq <= 0)
            {
                errors.Add(new SettingsError(set, $"--set expects key=value (e.g. --set actortrain.train.lr=3e-4), got '{set}'", null));
                continue;
            }
            string key = set[..eq].Trim();
            string text = set[(eq + 1)..];
            try
            {
                HoconPath.Parse(key);
            }
            catch (ArgumentException e)
            {
                errors.Add(new SettingsError(key, $"--set {set}: {e.Message}", null));
                continue;
            }
            layer = ConfigFactory.FromValue(key, OverrideValue.Parse(key, text, source, reference)).WithFallback(layer);
        }
        return layer;
    }
}
