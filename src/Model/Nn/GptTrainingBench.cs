using System.Diagnostics;
using ActorTrain.Model.Losses;
using ActorTrain.Model.Optim;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>Result of <see cref="GptTrainingBench.Run"/>.</summary>
/// <param name="Steps">Timed steps.</param>
/// <param name="TokensPerSecond">Training tokens processed per second.</param>
/// <param name="StepMilliseconds">Mean time per step.</param>
/// <param name="Parameters">Model parameter count.</param>
/// <param name="FinalLoss">Mean token loss of the last step.</param>
public sealed record GptBenchResult(int Steps, double TokensPerSecond, double StepMilliseconds, long Parameters, double FinalLoss);

/// <summary>
/// Single-process training throughput of a GPT, shaped like bench/peers/pytorch_ddp_baseline.py with world=1:
/// synthetic byte tokens, forward, sum-reduced cross entropy / token count, backward into the flat gradient buffer,
/// global-norm clipping to 1.0 and an AdamW step (lr 3e-4, weight decay 0.1, as the peer's torch.optim.AdamW) on the
/// flat buffers; 3 warm-up steps, then <c>steps</c> timed ones. Both sides therefore do the same work per step.
/// </summary>
public static class GptTrainingBench
{
    /// <summary>Runs the benchmark; <paramref name="threads"/> sets libtorch's intra-op threads first.</summary>
    public static GptBenchResult Run(GptConfig config, int steps = 20, int batch = 16, int threads = 1,
        double learningRate = 3e-4, ulong seed = 123, float maxGradNorm = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        set_num_threads(threads);
        using var gen = new Generator(seed);
        using var model = new Gpt(config, gen);
        using var flat = new FlatParameters(model);
        var optimizer = new AdamW(checked((int)flat.Length), new AdamWOptions(WeightDecay: 0.1));
        using var dataGen = new Generator(seed + 1000);
        const int warmup = 3;
        using var data = randint(0, config.VocabSize, [steps + warmup, batch, config.ContextLength + 1], dtype: int64, generator: dataGen);
        var stopwatch = new Stopwatch();
        double lastLoss = 0;
        for (var i = 0; i < steps + warmup; i++)
        {
            if (i == warmup) stopwatch.Start();
            using var scope = NewDisposeScope();
            var sample = data.select(0, i);
            var input = sample.narrow(1, 0, config.ContextLength);
            var target = sample.narrow(1, 1, config.ContextLength);
            flat.ZeroGradients();
            var result = CrossEntropy.Compute(model.forward(input), target, nn.Reduction.Sum);
            var loss = result.Loss / result.Count;
            loss.backward();
            GradientClipper.ClipGlobalNorm(flat.GradientSpan, maxGradNorm);
            optimizer.Step(flat.ParameterSpan, flat.GradientSpan, learningRate);
            if (i == steps + warmup - 1) lastLoss = loss.item<float>();
        }
        stopwatch.Stop();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new GptBenchResult(steps, (double)steps * batch * config.ContextLength / seconds,
            1000 * seconds / steps, model.ParameterCount(), lastLoss);
    }
}
