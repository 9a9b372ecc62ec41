using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.data</c>: the training corpus.</summary>
public sealed record DataSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.data";

    /// <summary>Corpus kind.</summary>
    public DataSource Source { get; init; }

    /// <summary>Input file for text/jsonl (empty for arithmetic).</summary>
    public string FilePath { get; init; } = "";

    /// <summary>Seed of generation and split.</summary>
    public long Seed { get; init; }

    /// <summary>Largest arithmetic operand.</summary>
    public int MaxOperand { get; init; }

    /// <summary>Training examples (0 = all, for files).</summary>
    public int TrainSize { get; init; }

    /// <summary>Validation examples.</summary>
    public int ValSize { get; init; }

    /// <summary>Pack each micro-batch's samples into full rows (block-diagonal causal mask, positions restarting per sample).</summary>
    public bool Pack { get; init; }

    /// <summary>How many distinct problems a+b with 0 ≤ a, b ≤ <paramref name="maxOperand"/> exist: (max-operand + 1)².</summary>
    public static long ArithmeticDistinctSums(int maxOperand) => ((long)maxOperand + 1) * ((long)maxOperand + 1);

    /// <summary>Reads and validates the section.</summary>
    public static DataSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var settings = new DataSettings
        {
            Source = reader.Enum<DataSource>(p + "source"),
            FilePath = reader.String(p + "path"),
            Seed = reader.Long(p + "seed"),
            MaxOperand = reader.Int(p + "max-operand", 1, 1_000_000_000),
            TrainSize = reader.Int(p + "train-size", min: 0),
            ValSize = reader.Int(p + "val-size", min: 0),
            Pack = reader.Boolean(p + "pack"),
        };
        if (settings.Source is DataSource.Text or DataSource.Jsonl)
            reader.Require(settings.FilePath.Trim().Length > 0, p + "path", $"must name the input file when source = {SettingsEnum.Name(settings.Source)}");
        if (settings.Source == DataSource.Arithmetic)
        {
            reader.Require(settings.TrainSize >= 1, p + "train-size", "must be at least 1 for the arithmetic corpus");
            var distinct = ArithmeticDistinctSums(settings.MaxOperand);
            reader.Require((long)settings.TrainSize + settings.ValSize <= distinct, p + "train-size",
                $"train-size {settings.TrainSize} + val-size {settings.ValSize} asks for more problems than the {distinct:N0} distinct sums max-operand {settings.MaxOperand} gives; lower train-size to at most {Math.Max(0, distinct - settings.ValSize)} or raise max-operand");
        }
        return settings;
    }
}
