using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

/// <summary>Runs alone: resident memory is per process, so no other test may allocate meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "process memory";
}

[Collection(ProcessMemoryCollection.Name)]
public sealed class TrainingMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Three_hundred_training_steps_keep_native_memory_and_live_tensors_flat_after_warm_up()
    {
        var config = GptConfig.Small;
        const int warmUp = 100, steps = 300, batch = 8;
        using var gen = new Generator(9);
        using var model = new Gpt(config, gen);
        using var flat = new FlatParameters(model);
        var optimizer = new AdamW(checked((int)flat.Length));
        long rssAfterWarmUp = 0, liveAfterWarmUp = 0;
        double firstLoss = 0, lastLoss = 0;
        for (var step = 0; step < steps; step++)
        {
            if (step == warmUp)
            {
                rssAfterWarmUp = ResidentBytes();
                liveAfterWarmUp = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }
            using var scope = NewDisposeScope();
            // A learnable pattern: the next token is the current one + 1.
            var start = randint(0, config.VocabSize - config.ContextLength - 1, [batch, 1], dtype: int64, generator: gen);
            var sequence = start + arange(config.ContextLength + 1, dtype: int64);
            flat.ZeroGradients();
            var result = CrossEntropy.Compute(model.forward(sequence.narrow(1, 0, config.ContextLength)), sequence.narrow(1, 1, config.ContextLength), nn.Reduction.Sum);
            var mean = result.Loss / result.Count;
            mean.backward();
            GradientClipper.ClipGlobalNorm(flat.GradientSpan, 1f);
            optimizer.Step(flat.ParameterSpan, flat.GradientSpan, 1e-3);
            var loss = mean.item<float>();
            if (step == 0) firstLoss = loss;
            lastLoss = loss;
        }
        var rssAtEnd = ResidentBytes();
        output.WriteLine($"RSS after {warmUp} steps {rssAfterWarmUp / 1e6:F1} MB, after {steps} {rssAtEnd / 1e6:F1} MB; live tensors {liveAfterWarmUp} -> {DisposeScopeManager.Statistics.ThreadTotalLiveCount}; loss {firstLoss:F3} -> {lastLoss:F3}");
        Assert.True(lastLoss < firstLoss * 0.5, $"loss {firstLoss} -> {lastLoss}: the loop did not train");
        Assert.Equal(liveAfterWarmUp, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(rssAtEnd <= rssAfterWarmUp * 1.05,
            $"resident memory grew from {rssAfterWarmUp / 1e6:F1} MB after {warmUp} steps to {rssAtEnd / 1e6:F1} MB after {steps}");
    }

    // glibc keeps freed native blocks in its arenas (and returns them to the system lazily); trimming first makes the
    // resident size track what is still allocated, so only memory that stays in use can show as growth.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        MallocTrim(0);
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
