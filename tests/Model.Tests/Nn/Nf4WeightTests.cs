using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

public sealed class Nf4WeightTests
{
    [Fact]
    public void Gaussian_weights_come_back_within_the_formats_bound_at_an_eighth_of_the_memory()
    {
        using var scope = NewDisposeScope();
        // 384 × 130 = 49,920 values = 780 whole blocks; 7 × 130 = 910 values end in a padded block.
        foreach (var shape in new long[][] { [384, 130], [7, 130] })
        {
            var weight = randn(shape, generator: new Generator(3)) * 0.02f;
            using var nf4 = Nf4Weight.Quantize(weight);
            var restored = nf4.Dequantize();
            Assert.Equal(shape, restored.shape);
            var count = weight.numel();
            var blocks = (count + Nf4Weight.BlockSize - 1) / Nf4Weight.BlockSize;
            var padded = cat([weight.reshape(-1), zeros(blocks * Nf4Weight.BlockSize - count)]).view(blocks, Nf4Weight.BlockSize);
            var absmax = padded.abs().amax([1], keepdim: true).expand(blocks, Nf4Weight.BlockSize).reshape(-1).narrow(0, 0, count).view(shape);
            var error = (weight - restored).abs();
            // Every value is at most half the widest level gap × its block's absmax away (the nearest level is chosen).
            var excess = (error - absmax * Nf4Weight.MaxRelativeError).max().item<float>();
            Assert.True(excess <= 1e-7, $"a value exceeds the NF4 bound by {excess}");
            // Gaussian weights land on the normal-quantile levels: the RMS error is a small share of the RMS weight.
            var relativeRms = (error.square().mean().sqrt() / weight.square().mean().sqrt()).item<float>();
            Assert.InRange(relativeRms, 0.01, 0.12);
            // Each block's largest magnitude is a level (±1 × absmax), so it comes back exactly.
            Assert.Equal(weight.abs().max().item<float>(), restored.abs().max().item<float>());
            // 4 bits per value (the last block zero-padded) + one float32 per 64 values.
            Assert.Equal(blocks * Nf4Weight.BlockSize / 2 + blocks * 4, nf4.StorageBytes);
        }
    }

    [Fact]
    public void Double_quantised_scales_stay_within_the_bound_and_save_three_quarters_of_the_scale_bytes()
    {
        using var scope = NewDisposeScope();
        // 600 × 130 = 78,000 values = 1,219 blocks (the last padded) = 5 groups of 256 scales (the last partial).
        long[] shape = [600, 130];
        var weight = randn(shape, generator: new Generator(11)) * 0.02f;
        using var single = Nf4Weight.Quantize(weight);
        using var twice = Nf4Weight.Quantize(weight, doubleQuantize: true);
        Assert.True(twice.DoubleQuantized);
        var count = weight.numel();
        var blocks = (count + Nf4Weight.BlockSize - 1) / Nf4Weight.BlockSize;
        var exact = single.BlockScales();
        var scaleError = (twice.BlockScales() - exact).abs();
        // Each dequantised scale is within half an int8 step of its group (and that step is far below the scales themselves).
        Assert.True((scaleError - twice.MaxScaleError()).max().item<float>() <= 1e-9, "a block scale exceeds half an int8 step");
        Assert.True(scaleError.max().item<float>() > 0, "the scales were not quantised");
        Assert.True((twice.MaxScaleError() / exact).max().item<float>() < 0.02);

        // Every value: the NF4 bound of its (exact) block scale plus the scale's own error (the largest level is ±1).
        var perValue = (Tensor t) => t.unsqueeze(1).expand(blocks, Nf4Weight.BlockSize).reshape(-1).narrow(0, 0, count).view(shape);
        var bound = perValue(exact) * Nf4Weight.MaxRelativeError + perValue(twice.MaxScaleError());
        var error = (weight - twice.Dequantize()).abs();
        Assert.True((error - bound).max().item<float>() <= 1e-7, "a value exceeds the double-quantised NF4 bound");
        // The quality cost of the second level is small beside the 4-bit one.
        var rms = (Tensor restored) => (weight - restored).square().mean().sqrt().item<float>();
        Assert.InRange(rms(twice.Dequantize()) / rms(single.Dequantize()), 0.9, 1.05);

        // Scales: 1 byte each + a float32 per group of 256 + the float32 mean, instead of 4 bytes each.
        var groups = (blocks + Nf4Weight.ScaleGroupSize - 1) / Nf4Weight.ScaleGroupSize;
        Assert.Equal(blocks * Nf4Weight.BlockSize / 2 + blocks + (groups + 1) * 4, twice.StorageBytes);
        Assert.Equal(single.StorageBytes - 3 * blocks + (groups + 1) * 4, twice.StorageBytes);
    }

    [Fact]
    public void An_nf4_base_frees_its_float32_weights_stays_close_to_the_base_and_trains_only_the_adapters()
    {
        var config = GptConfig.Tiny with { Layers = 2, Width = 64 };
        using var gen = new Generator(5);
        using var plainGen = new Generator(5);
        using var plain = new Gpt(config, plainGen);
        using var model = new Gpt(config, gen, lora: new LoraConfig(4, 8, 0, LoraConfig.DefaultTargets), loraGenerator: new Generator(6));
        var (fp32, nf4) = model.QuantizeBase();
        Assert.Equal(2 * 12 * 64 * 64 * 4, fp32); // qkv 3w², proj w², fc 4w², out 4w² = 12w² per block, 2 blocks, float32
        Assert.InRange((double)nf4 / fp32, 0.12, 0.15);
        Assert.All(model.Adapters, a => Assert.Equal(0, a.Weight.numel()));
        using var scope = NewDisposeScope();
        var tokens = randint(0, config.VocabSize, [2, 12], dtype: int64, generator: new Generator(7));
        var expected = plain.forward(tokens);
        var actual = model.forward(tokens);
        var relative = ((actual - expected).norm() / expected.norm()).item<float>();
        Assert.InRange(relative, 1e-6, 0.2); // quantised: close, not equal
        using var flat = new FlatParameters(model);
        var result = CrossEntropy.Compute(model.forward(tokens.narrow(1, 0, 11)), tokens.narrow(1, 1, 11), nn.Reduction.Sum);
        result.Loss.backward();
        Assert.Contains(flat.GradientSpan.ToArray(), g => g != 0);
        Assert.All(model.FrozenParameters(), p => Assert.Null(p.Parameter.grad));
    }
}
