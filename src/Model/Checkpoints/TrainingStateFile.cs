using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorTrain.Model.Checkpoints;

/// <summary>Reads and writes <see cref="TrainingState"/> as JSON.</summary>
public static class TrainingStateFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The JSON text of <paramref name="state"/>.</summary>
    public static string ToJson(TrainingState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, TrainingState state) => AtomicFile.WriteAllText(path, ToJson(state));

    /// <summary>Reads and checks a state file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is not valid state JSON or has an unknown format version.</exception>
    public static TrainingState Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"checkpoint state {path} does not exist; the checkpoint is incomplete (its save was interrupted) or the path is wrong.", path);
        }
        TrainingState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException(path, null, $"{path}: not a valid checkpoint state file ({e.Message}).", e);
        }
        if (state is null)
        {
            throw new SafeTensorsFormatException(path, null, $"{path}: the checkpoint state is 'null'.");
        }
        if (state.FormatVersion != TrainingState.CurrentFormatVersion)
        {
            throw new SafeTensorsFormatException(path, null,
                $"{path}: checkpoint state format version {state.FormatVersion} is not supported (this build reads version {TrainingState.CurrentFormatVersion}).");
        }
        return state;
    }
}
