namespace ActorTrain.Cli.Tests.MultiProcess;

/// <summary>--set overrides for a job that trains a tiny GPT for a few steps, and fast failure detection.</summary>
internal static class TinyJob
{
    public static readonly string HeartbeatInterval = "200ms";
    public static readonly string AcceptableHeartbeatPause = "1s";

    /// <summary>Failure-detector settings that keep membership tests quick.</summary>
    public static IEnumerable<string> FastDetector() =>
    [
        $"actortrain.cluster.failure-detector.heartbeat-interval={HeartbeatInterval}",
        $"actortrain.cluster.failure-detector.acceptable-heartbeat-pause={AcceptableHeartbeatPause}",
        "actortrain.cluster.failure-detector.expected-response-after=500ms",
        "actortrain.cluster.gossip-interval=200ms",
        "actortrain.cluster.unreachable-nodes-reaper-interval=200ms",
        "actortrain.cluster.seed-node-timeout=1s",
    ];

    /// <summary>
    /// A tiny model on a small arithmetic corpus (default failure detector: a node starting libtorch on a loaded
    /// machine can miss fast heartbeats; a killed node is noticed at once by the collectives anyway), <paramref name="steps"/> steps, checkpoints every <paramref name="saveEvery"/>.</summary>
    public static IEnumerable<string> Sets(string runDir, int steps, int saveEvery) =>
    [
        $"actortrain.job.run-dir={runDir}",
        "actortrain.job.join-timeout=30s",
        "actortrain.model.preset=custom",
        "actortrain.model.context=16",
        "actortrain.model.width=32",
        "actortrain.model.layers=1",
        "actortrain.model.heads=2",
        "actortrain.model.device=cpu",
        "actortrain.data.train-size=256",
        "actortrain.data.val-size=16",
        "actortrain.train.eval-samples=8",
        "actortrain.train.eval-every=0",
        $"actortrain.train.steps={steps}",
        "actortrain.train.warmup-steps=1",
        "actortrain.train.micro-batch-size=4",
        "actortrain.train.log-every=1",
        $"actortrain.train.save-every={saveEvery}",
        "actortrain.train.threads=1",
    ];

    /// <summary>"--set a --set b …".</summary>
    public static string[] AsArguments(IEnumerable<string> sets) => [.. sets.SelectMany(s => new[] { "--set", s })];
}
