using System.Runtime.InteropServices;
using System.Text.Json;
using ActorTrain.Model.Optim;
using Xunit;

namespace ActorTrain.Model.Tests.Optim;

/// <summary>
/// Steps our optimizers and torch.optim (single-tensor path) on the same random data with two parameter
/// groups (decayed and not) and per-step learning rates, and compares parameters and state.
/// </summary>
public class TorchOptimizerReferenceTests : IClassFixture<TorchOptimizerReferenceTests.TorchResults>
{
    private const int N = 1037;
    private const int Split = 600;
    private const int Steps = 6;
    private const double DecayA = 0.1;
    private const double DecayB = 0;

    private static readonly double[] LearningRates = [1e-3, 2e-3, 3e-3, 2.5e-3, 1e-3, 5e-4];
    private static readonly ParameterGroup[] Groups = [new(0, Split, DecayA), new(Split, N - Split, DecayB)];

    private static readonly Dictionary<string, object>[] Cases =
    [
        new() { ["kind"] = "adamw", ["beta1"] = 0.9, ["beta2"] = 0.95, ["eps"] = 1e-8, ["buffers"] = new[] { "exp_avg", "exp_avg_sq" } },
        new() { ["kind"] = "sgd", ["momentum"] = 0.9, ["dampening"] = 0.1, ["nesterov"] = false, ["buffers"] = new[] { "momentum_buffer" } },
        new() { ["kind"] = "sgd", ["momentum"] = 0.8, ["dampening"] = 0.0, ["nesterov"] = true, ["buffers"] = new[] { "momentum_buffer" } },
    ];

    private const string Script = """
        import json, sys
        import numpy as np, torch

        def run(cfg, d, case):
            n, K, split = cfg["n"], cfg["steps"], cfg["split"]
            p0 = np.fromfile(f"{d}/params-{case}.bin", dtype="<f4")
            g = np.fromfile(f"{d}/grads-{case}.bin", dtype="<f4").reshape(K, n)
            pa = torch.nn.Parameter(torch.from_numpy(p0[:split].copy()))
            pb = torch.nn.Parameter(torch.from_numpy(p0[split:].copy()))
            groups = [{"params": [pa], "weight_decay": cfg["wd_a"]}, {"params": [pb], "weight_decay": cfg["wd_b"]}]
            if cfg["kind"] == "adamw":
                opt = torch.optim.AdamW(groups, lr=cfg["lrs"][0], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"], foreach=False)
            else:
                opt = torch.optim.SGD(groups, lr=cfg["lrs"][0], momentum=cfg["momentum"], dampening=cfg["dampening"], nesterov=cfg["nesterov"], foreach=False)
            for k in range(K):
                for group in opt.param_groups:
                    group["lr"] = cfg["lrs"][k]
                pa.grad = torch.from_numpy(g[k, :split].copy())
                pb.grad = torch.from_numpy(g[k, split:].copy())
                opt.step()
            out = [pa.detach().numpy(), pb.detach().numpy()]
            for name in cfg["buffers"]:
                out += [opt.state[pa][name].numpy(), opt.state[pb][name].numpy()]
            np.concatenate(out).astype("<f4").tofile(f"{d}/out-{case}.bin")

        d = sys.argv[2]
        for case, cfg in enumerate(json.loads(sys.argv[1])):
            run(cfg, d, case)
        """;

    private readonly TorchResults _torch;

    public TorchOptimizerReferenceTests(TorchResults torch) => _torch = torch;

    /// <summary>All torch runs, made by one python process on first use (importing torch is the slow part).</summary>
    public sealed class TorchResults
    {
        private readonly Lazy<float[][]> _results = new(RunTorch);

        public float[] this[int index] => _results.Value[index];
    }

    private static (float[] Params, float[] Grads) RandomData(int seed)
    {
        var random = new Random(seed);
        float Normal() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var p = Enumerable.Range(0, N).Select(_ => Normal()).ToArray();
        var g = Enumerable.Range(0, N * Steps).Select(_ => 0.1f * Normal()).ToArray();
        return (p, g);
    }

    private static float[][] RunTorch()
    {
        using var dir = new TempDirectory();
        for (var i = 0; i < Cases.Length; i++)
        {
            var (p, g) = RandomData(i);
            File.WriteAllBytes(dir.File($"params-{i}.bin"), MemoryMarshal.AsBytes(p.AsSpan()).ToArray());
            File.WriteAllBytes(dir.File($"grads-{i}.bin"), MemoryMarshal.AsBytes(g.AsSpan()).ToArray());
            Cases[i]["n"] = N;
            Cases[i]["steps"] = Steps;
            Cases[i]["split"] = Split;
            Cases[i]["wd_a"] = DecayA;
            Cases[i]["wd_b"] = DecayB;
            Cases[i]["lrs"] = LearningRates;
        }
        ReferencePython.Run(Script, JsonSerializer.Serialize(Cases), dir.Path);
        return Enumerable.Range(0, Cases.Length)
            .Select(i => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(dir.File($"out-{i}.bin"))).ToArray())
            .ToArray();
    }

    /// <summary>Steps <paramref name="make"/>'s optimizers over the given shards; returns params then state buffers.</summary>
    private static float[] RunOurs(int dataSeed, Func<int, int, IFlatOptimizer> make, int[] shardBounds, string[] buffers)
    {
        var (p, g) = RandomData(dataSeed);
        var optimizers = shardBounds.Zip(shardBounds.Skip(1)).Select(b => make(b.First, b.Second - b.First)).ToArray();
        for (var k = 0; k < Steps; k++)
        {
            foreach (var o in optimizers)
            {
                o.Step(p.AsSpan(o.ShardOffset, o.ShardLength), g.AsSpan(k * N + o.ShardOffset, o.ShardLength), LearningRates[k]);
            }
        }
        var state = OptimizerState.Merge(optimizers.Select(o => o.ExportState()), N);
        return [.. p, .. buffers.SelectMany(b => state.Buffers[b])];
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            // Required: 1e-6 relative. (On AVX2 CPUs the results are in fact bitwise equal.)
            var tolerance = 1e-6 * Math.Abs(expected[i]) + 1e-9;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}: element {i} (parameter index {i % N}) is {actual[i]:R}, torch gives {expected[i]:R}");
        }
    }

    [TorchFact]
    public void AdamW_matches_torch_optim_AdamW_with_parameter_groups_whole_and_sharded()
    {
        var options = new AdamWOptions(0.9, 0.95, 1e-8, 0.05);
        IFlatOptimizer Make(int offset, int length) => new AdamW(offset, length, options, Groups);
        AssertClose(_torch[0], RunOurs(0, Make, [0, N], [AdamW.ExpAvg, AdamW.ExpAvgSq]), "AdamW (whole buffer)");
        AssertClose(_torch[0], RunOurs(0, Make, [0, 257, 777, N], [AdamW.ExpAvg, AdamW.ExpAvgSq]), "AdamW (3 shards)");
    }

    [TorchFact]
    public void Sgd_with_momentum_and_dampening_matches_torch_optim_SGD_whole_and_sharded()
    {
        var options = new SgdOptions(Momentum: 0.9, Dampening: 0.1, Nesterov: false);
        IFlatOptimizer Make(int offset, int length) => new SgdMomentum(offset, length, options, Groups);
        AssertClose(_torch[1], RunOurs(1, Make, [0, N], [SgdMomentum.MomentumBuffer]), "SGD (whole buffer)");
        AssertClose(_torch[1], RunOurs(1, Make, [0, 100, N], [SgdMomentum.MomentumBuffer]), "SGD (2 shards)");
    }

    [TorchFact]
    public void Sgd_with_nesterov_momentum_matches_torch_optim_SGD()
    {
        var options = new SgdOptions(Momentum: 0.8, Dampening: 0, Nesterov: true);
        AssertClose(_torch[2], RunOurs(2, (o, l) => new SgdMomentum(o, l, options, Groups), [0, N], [SgdMomentum.MomentumBuffer]), "SGD nesterov");
    }
}
