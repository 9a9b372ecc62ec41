namespace ActorTrain.Cluster.Settings;

/// <summary>The config has one or more invalid values or unknown keys; <see cref="Errors"/> lists every one of them.</summary>
public sealed class SettingsValidationException : Exception
{
    /// <summary>Creates the exception listing <paramref name="errors"/>.</summary>
    public SettingsValidationException(IReadOnlyList<SettingsError> errors)
        : base(Format(errors)) => Errors = errors;

    /// <summary>Every problem found, in the order the keys were read.</summary>
    public IReadOnlyList<SettingsError> Errors { get; }

    private static string Format(IReadOnlyList<SettingsError> errors)
    {
        string header = errors.Count == 1 ? "Invalid configuration (1 problem):" : $"Invalid configuration ({errors.Count} problems):";
        return header + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e.Message));
    }
}
