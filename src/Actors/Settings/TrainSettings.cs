using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.train</c>: optimisation, schedule, logging, evaluation and checkpoints.</summary>
public sealed record TrainSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.train";

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; }

    /// <summary>Sequences per rank per micro-batch.</summary>
    public int MicroBatchSize { get; init; }

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradAccumSteps { get; init; }

    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; }

    /// <summary>Peak learning rate.</summary>
    public double Lr { get; init; }

    /// <summary>Learning rate at step 0 (linear warmup to <see cref="Lr"/>).</summary>
    public double InitialLr { get; init; }

    /// <summary>Final learning rate of the cosine decay.</summary>
    public double MinLr { get; init; }

    /// <summary>Warmup steps.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>AdamW beta1.</summary>
    public double Beta1 { get; init; }

    /// <summary>AdamW beta2.</summary>
    public double Beta2 { get; init; }

    /// <summary>AdamW epsilon.</summary>
    public double Eps { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; }

    /// <summary>Global-norm clip threshold; 0 = off.</summary>
    public double GradClip { get; init; }

    /// <summary>Training seed.</summary>
    public long Seed { get; init; }

    /// <summary>Log period in steps.</summary>
    public int LogEvery { get; init; }

    /// <summary>Rank 0 writes TensorBoard event files (the step and evaluation metrics) into the run directory.</summary>
    public bool TensorBoard { get; init; }

    /// <summary>Evaluation period in steps; 0 = only at the end.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Validation examples per evaluation.</summary>
    public int EvalSamples { get; init; }

    /// <summary>Checkpoint period in steps; 0 = only at the end.</summary>
    public int SaveEvery { get; init; }

    /// <summary>Checkpoints kept; 0 = all.</summary>
    public int KeepCheckpoints { get; init; }

    /// <summary>"none", "latest" or a checkpoint path, as configured.</summary>
    public string Resume { get; init; } = "none";

    /// <summary>How <see cref="Resume"/> is interpreted.</summary>
    public ResumeMode ResumeMode => Resume switch
    {
        "none" => ResumeMode.None,
        "latest" => ResumeMode.Latest,
        _ => ResumeMode.Path,
    };

    /// <summary>Consecutive non-finite steps tolerated before the job stops.</summary>
    public int MaxNonfiniteSteps { get; init; }

    /// <summary>Intra-op threads per rank; 0 = libtorch's default.</summary>
    public int Threads { get; init; }

    /// <summary>Reads and validates the section.</summary>
    public static TrainSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var s = new TrainSettings
        {
            Steps = reader.Int(p + "steps", min: 1),
            MicroBatchSize = reader.Int(p + "micro-batch-size", min: 1),
            GradAccumSteps = reader.Int(p + "grad-accum-steps", min: 1),
            Optimizer = reader.Enum<OptimizerKind>(p + "optimizer"),
            Lr = reader.Double(p + "lr", 0, 10, minExclusive: true),
            InitialLr = reader.Double(p + "initial-lr", 0, 10),
            MinLr = reader.Double(p + "min-lr", 0, 10),
            WarmupSteps = reader.Int(p + "warmup-steps", min: 0),
            WeightDecay = reader.Double(p + "weight-decay", 0),
            Beta1 = reader.Double(p + "beta1", 0, 1, maxExclusive: true),
            Beta2 = reader.Double(p + "beta2", 0, 1, maxExclusive: true),
            Eps = reader.Double(p + "eps", 0, 1, minExclusive: true),
            Momentum = reader.Double(p + "momentum", 0, 1, maxExclusive: true),
            GradClip = reader.Double(p + "grad-clip", 0),
            Seed = reader.Long(p + "seed"),
            LogEvery = reader.Int(p + "log-every", min: 1),
            TensorBoard = reader.Boolean(p + "tensorboard"),
            EvalEvery = reader.Int(p + "eval-every", min: 0),
            EvalSamples = reader.Int(p + "eval-samples", min: 0),
            SaveEvery = reader.Int(p + "save-every", min: 0),
            KeepCheckpoints = reader.Int(p + "keep-checkpoints", min: 0),
            Resume = reader.NonEmptyString(p + "resume"),
            MaxNonfiniteSteps = reader.Int(p + "max-nonfinite-steps", min: 1),
            Threads = reader.Int(p + "threads", 0, 1024),
        };
        if (reader.Ok(p + "lr", p + "min-lr")) reader.Require(s.MinLr <= s.Lr, p + "min-lr", $"must not exceed lr ({s.Lr})");
        if (reader.Ok(p + "lr", p + "initial-lr")) reader.Require(s.InitialLr <= s.Lr, p + "initial-lr", $"must not exceed lr ({s.Lr})");
        if (reader.Ok(p + "steps", p + "warmup-steps")) reader.Require(s.WarmupSteps <= s.Steps, p + "warmup-steps", $"must not exceed steps ({s.Steps})");
        return s;
    }
}
