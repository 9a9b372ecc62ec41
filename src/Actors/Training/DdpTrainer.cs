using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Sync;
using ActorTrain.Model.Checkpoints;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Training;

/// <summary>TEMPORARY stand-in for the trainer helper's DdpTrainer (plumbing only; never merged into main).</summary>
public static class DdpTrainer
{
    /// <summary>Runs a fake job: broadcast, all-reduce per step, checkpoints on rank 0.</summary>
    public static async Task<TrainingOutcome> RunAsync(TrainingRunOptions options, IGradientSync sync, ITrainingObserver observer, CancellationToken ct)
    {
        var log = options.LoggerFactory.CreateLogger("ActorTrain.Training");
        var train = options.Settings.Train;
        const int n = 1000;
        var p = new float[n];
        if (sync.Rank == 0) for (int i = 0; i < n; i++) p[i] = MathF.Sin(i + train.Seed);
        await sync.BroadcastAsync(p, 0, ct);
        log.LogInformation("Rank {Rank}: parameter checksum {Checksum} before step 1", sync.Rank, Checksum(p));
        var store = new CheckpointStore(options.Settings.Job.RunDir, train.KeepCheckpoints == 0 ? null : train.KeepCheckpoints);
        var entries = new[] { new FlatTensorEntry("w", 0, [n]) };
        var g = new float[n];
        string? last = null;
        double loss = 0;
        var t0 = DateTime.UtcNow;
        for (int step = 1; step <= train.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            for (int i = 0; i < n; i++) g[i] = MathF.Sin(i * 0.01f + step + sync.Rank) + p[i] * 0.1f;
            await sync.AllReduceAsync(g, ReduceOp.Average, ct);
            for (int i = 0; i < n; i++) p[i] -= (float)train.Lr * g[i];
            loss = (await sync.AllReduceScalarsAsync([p.Sum(x => (double)x * x)], ct))[0];
            Thread.Sleep(30);
            if (sync.Rank != 0) continue;
            observer.OnEvent(new TrainingEvent { Kind = "step", Step = step, TotalSteps = train.Steps, Loss = loss, ElapsedSeconds = (DateTime.UtcNow - t0).TotalSeconds });
            if ((train.SaveEvery > 0 && step % train.SaveEvery == 0) || step == train.Steps)
            {
                last = store.Save(new TrainingState { Step = step, WorldSize = sync.WorldSize, ConfigText = options.EffectiveConfigText }, entries, p, null);
                observer.OnEvent(new TrainingEvent { Kind = "checkpoint", Step = step, TotalSteps = train.Steps, Message = last });
            }
        }
        log.LogInformation("Rank {Rank}: parameter checksum {Checksum} after step {Step}", sync.Rank, Checksum(p), train.Steps);
        if (sync.Rank == 0) observer.OnEvent(new TrainingEvent { Kind = "done", Step = train.Steps, TotalSteps = train.Steps, Message = "finished" });
        return new TrainingOutcome(train.Steps, last, loss, null, null);
    }

    private static string Checksum(float[] p)
    {
        ulong h = 14695981039346656037;
        foreach (var b in System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.AsSpan())) { h ^= b; h *= 1099511628211; }
        return h.ToString("x16");
    }
}
