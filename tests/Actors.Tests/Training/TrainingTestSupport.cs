using ActorTrain.Actors.Sync.Transport;
using Xunit;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Sync;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;
using ActorTrain.Actors.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>Small settings, observers and multi-rank runners for the training-engine tests.</summary>
internal static class TrainingTestSupport
{
    /// <summary>A tiny custom GPT (vocab 64 covers the arithmetic bytes) on the two-digit-sum corpus, CPU, 1 thread.</summary>
    public static ActorTrainSettings TinySettings(string runDir, int steps = 3, int microBatch = 8, int accumulation = 1, int width = 32, int layers = 1)
    {
        var d = ActorTrainSettings.Default;
        return d with
        {
            Job = d.Job with { RunDir = runDir, Sync = d.Job.Sync with { BucketCap = 16 * 1024 } },
            Model = d.Model with
            {
                Preset = ModelPreset.Custom, VocabSize = 64, Context = 16, Width = width, Layers = layers, Heads = 2, MlpRatio = 4,
                Dropout = 0, Device = ComputeDevice.Cpu,
            },
            Data = d.Data with { Source = DataSource.Arithmetic, MaxOperand = 99, TrainSize = 2000, ValSize = 200, Seed = 7 },
            Train = d.Train with
            {
                Steps = steps, MicroBatchSize = microBatch, GradAccumSteps = accumulation, Lr = 3e-3, InitialLr = 3e-4, MinLr = 3e-4,
                WarmupSteps = Math.Min(2, steps), LogEvery = 1, EvalEvery = 0, EvalSamples = 20, SaveEvery = 0, KeepCheckpoints = 0,
                Resume = "none", Threads = 1, MaxNonfiniteSteps = 3,
            },
        };
    }

    public static TrainingRunOptions Options(ActorTrainSettings settings, ILoggerFactory? loggers = null) =>
        new(settings, "# test config\n", loggers ?? NullLoggerFactory.Instance);

    /// <summary>Runs one rank on a dedicated thread (the engine computes synchronously on its caller's thread).</summary>
    public static Task<TrainingOutcome> RunOnThread(TrainingRunOptions options, IGradientSync sync, ITrainingObserver observer, CancellationToken token = default) =>
        Task.Factory.StartNew(() => DdpTrainer.RunAsync(options, sync, observer, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>Runs a single-process job.</summary>
    public static TrainingOutcome RunSingle(TrainingRunOptions options, EventRecorder? observer = null) =>
        RunOnThread(options, new SingleRankSync(), observer ?? new EventRecorder()).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="world"/> ranks of one job through an in-process sync group; results by rank.</summary>
    public static async Task<TrainingOutcome[]> RunGroupAsync(int world, SyncStrategy strategy, Func<int, TrainingRunOptions> optionsForRank,
        Func<int, ITrainingObserver>? observerForRank = null, TransportKind transport = TransportKind.Auto)
    {
        var syncOptions = new GradientSyncOptions { ConnectTimeout = TimeSpan.FromSeconds(20), CollectiveTimeout = TimeSpan.FromSeconds(60), Transport = transport };
        // Shards that apply the optimizer build it from the job's settings, as ParameterServerActor does in a job.
        var settings = optionsForRank(0).Settings;
        await using var group = await InProcessSyncGroup.CreateAsync(world, strategy, syncOptions, parameterServerShards: 2,
            shardOptimizer: settings.Job.Sync.Ps.ApplyOptimizer ? OptimizerFactory.ForParameterServerShards(settings) : null);
        var runs = Enumerable.Range(0, world)
            .Select(r => RunOnThread(optionsForRank(r), group.Members[r], observerForRank?.Invoke(r) ?? new EventRecorder()))
            .ToArray();
        return await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>‖a−b‖₂ / ‖b‖₂.</summary>
    public static double RelativeNormDifference(float[] a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double diff = 0, norm = 0;
        for (var i = 0; i < a.Length; i++) { var d = (double)a[i] - b[i]; diff += d * d; norm += (double)b[i] * b[i]; }
        return Math.Sqrt(diff / norm);
    }

    /// <summary>Largest |a−b| / max(|b|, floor) over the elements, and where.</summary>
    public static (double Worst, int Index) MaxRelativeDifference(float[] a, float[] b, double floor = 1e-3)
    {
        Assert.Equal(b.Length, a.Length);
        double worst = 0;
        var at = -1;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs((double)a[i] - b[i]) / Math.Max(Math.Abs((double)b[i]), floor);
            if (d > worst) { worst = d; at = i; }
        }
        return (worst, at);
    }
}

/// <summary>Collects every event, thread-safely.</summary>
internal class EventRecorder : ITrainingObserver
{
    private readonly List<TrainingEvent> _events = new();

    public IReadOnlyList<TrainingEvent> Events { get { lock (_events) return _events.ToArray(); } }

    public virtual void OnEvent(TrainingEvent e) { lock (_events) _events.Add(e); }
}

/// <summary>A run directory under the temp folder, deleted afterwards.</summary>
internal sealed class TempRunDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actortrain-train-" + Guid.NewGuid().ToString("N")[..10]);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
