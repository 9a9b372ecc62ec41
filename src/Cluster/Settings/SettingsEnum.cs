using System.Text;

namespace ActorTrain.Cluster.Settings;

/// <summary>Maps enum members to the kebab-case names used in config files (ParameterServer ↔ "parameter-server",
/// Gpt2Normal ↔ "gpt2-normal", BFloat16 ↔ "bfloat16" via <see cref="ConfigNameAttribute"/>).</summary>
public static class SettingsEnum
{
    /// <summary>The config name of <paramref name="value"/>.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        string member = value.ToString();
        var field = typeof(TEnum).GetField(member);
        var attribute = field?.GetCustomAttributes(typeof(ConfigNameAttribute), false).OfType<ConfigNameAttribute>().FirstOrDefault();
        return attribute?.Name ?? KebabCase(member);
    }

    /// <summary>All config names of <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IEnumerable<string> Names<TEnum>() where TEnum : struct, Enum => System.Enum.GetValues<TEnum>().Select(Name);

    /// <summary>Parses a config name (exact match).</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in System.Enum.GetValues<TEnum>())
        {
            if (Name(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>"ParameterServer" → "parameter-server"; digits stay attached to the preceding letters ("Gpt2Normal" → "gpt2-normal").</summary>
    public static string KebabCase(string pascal)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
