using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

public sealed class BadInputTests
{
    [Theory]
    [InlineData(256, 128, 130, 4, "actortrain.model.heads = 4", "must divide width (130)")]
    [InlineData(256, 0, 128, 4, "actortrain.model.context = 0", "positive")]
    [InlineData(0, 64, 128, 4, "actortrain.model.vocab-size = 0", "positive")]
    public void A_bad_shape_is_refused_naming_the_key_before_any_tensor_is_made(int vocab, int context, int width, int heads, string key, string rule)
    {
        var live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using var gen = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => new Gpt(new GptConfig(vocab, context, width, 2, heads), gen));
        Assert.Contains(key, e.Message);
        Assert.Contains(rule, e.Message);
        Assert.Equal(live, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void An_unknown_init_scheme_lists_the_allowed_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => (GptConfig.Tiny with { Init = (InitScheme)42 }).Validate());
        Assert.Contains("actortrain.model.init", e.Message);
        Assert.Contains("XavierUniform", e.Message);
    }

    [Fact]
    public void Running_out_of_memory_names_the_model_size_and_the_batch()
    {
        // 2^45 floats (128 TiB): libtorch's CPU allocator refuses at once.
        var native = Assert.ThrowsAny<Exception>(() => empty(1L << 45, dtype: float32));
        Assert.True(TorchErrors.IsOutOfMemory(native), native.Message);
        var e = TorchErrors.OutOfMemory(GptConfig.GptBench, 64, "cpu", native);
        Assert.Contains("3,323,392-parameter GPT", e.Message);
        Assert.Contains("micro-batch 64 × 128 tokens", e.Message);
        Assert.Contains("actortrain.train.micro-batch-size", e.Message);
        Assert.False(TorchErrors.IsOutOfMemory(new ArgumentException("shape mismatch")));
    }

    [Fact]
    public void Config_parameter_count_matches_the_built_model()
    {
        using var gen = new Generator(2);
        using var model = new Gpt(GptConfig.Small, gen);
        Assert.Equal(model.ParameterCount(), GptConfig.Small.ParameterCount());
    }
}
