using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Tests.Checkpoints;
using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

public sealed class LoraLinearTests
{
    private static readonly GptConfig Config = GptConfig.Tiny with { Layers = 2 };
    private static readonly LoraConfig Lora = new(4, 8, 0, LoraConfig.DefaultTargets);
    private static readonly LoraConfig LoraWithHead = Lora with { Targets = [.. LoraConfig.DefaultTargets, "head"] };

    private static Gpt Plain(ulong seed)
    {
        using var gen = new Generator(seed);
        return new Gpt(Config, gen);
    }

    private static Gpt Adapted(ulong seed, LoraConfig? lora = null)
    {
        using var gen = new Generator(seed);
        using var loraGen = new Generator(seed + 100);
        return new Gpt(Config, gen, lora: lora ?? Lora, loraGenerator: loraGen);
    }

    private static Tensor Tokens() => randint(0, Config.VocabSize, [3, 9], dtype: int64, generator: new Generator(5));

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    [Fact]
    public void Adapters_wrap_every_matching_linear_and_keep_the_base_names()
    {
        using var model = Adapted(1);
        Assert.Equal(8, model.Adapters.Count);
        var names = model.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("blocks.0.qkv.weight", names);
        Assert.Contains("blocks.1.out.bias", names);
        Assert.Contains("blocks.0.qkv.lora_A.weight", names);
        Assert.Contains("blocks.1.fc.lora_B.weight", names);
        // Only the adapters train: 2 blocks × 4 layers × (A, B).
        Assert.Equal(16, model.TrainableParameters().Count);
        Assert.All(model.TrainableParameters(), p => Assert.Contains(".lora_", p.Name));
        var a = model.Adapters[0];
        Assert.Equal(new long[] { 4, Config.Width }, a.AdapterA.shape);
        Assert.Equal(new long[] { 3L * Config.Width, 4 }, a.AdapterB.shape);
        // A is Kaiming-uniform(a = √5): inside ±1/√in and not all zero; B is zero.
        var bound = 1 / Math.Sqrt(Config.Width);
        Assert.All(Values(a.AdapterA), v => Assert.InRange(v, -bound, bound));
        Assert.Contains(Values(a.AdapterA), v => v != 0);
        Assert.All(Values(a.AdapterB), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void With_B_zero_the_adapted_models_logits_equal_the_base_models_exactly()
    {
        using var plain = Plain(1);
        using var adapted = Adapted(1, LoraWithHead);
        Assert.Equal(9, adapted.Adapters.Count);
        using var tokens = Tokens();
        using var scope = NewDisposeScope();
        // Same seed, same base draws (the adapters are drawn from their own generator).
        foreach (var (name, p) in plain.NamedParameters())
            Assert.Equal(Values(p), Values(adapted.NamedParameters().Single(q => q.Name == name).Parameter));
        Assert.Equal(Values(plain.forward(tokens)), Values(adapted.forward(tokens)));
    }

    [Fact]
    public void The_merged_export_computes_the_logits_of_base_plus_adapter()
    {
        using var adapted = Adapted(2, LoraWithHead);
        Assert.Contains(adapted.NamedAdapters(), a => a.Path == "head");
        using (no_grad())
            foreach (var layer in adapted.Adapters) layer.AdapterB.normal_(0, 0.05, new Generator(9));
        using var tokens = Tokens();
        using var scope = NewDisposeScope();
        var expected = Values(adapted.forward(tokens));
        using var plain = Plain(77);
        var merged = LoraExport.MergedTensors(adapted);
        Assert.Equal(plain.NamedParameters().Select(p => p.Name), merged.Select(m => m.Name));
        using (no_grad())
            foreach (var (name, p) in plain.NamedParameters())
                p.copy_(tensor(merged.Single(m => m.Name == name).Values).view(p.shape));
        var actual = Values(plain.forward(tokens));
        Assert.Contains(Values(adapted.Adapters[0].MergedWeight() - adapted.Adapters[0].Weight), v => Math.Abs(v) > 1e-4);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"logit {i}: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public void Only_the_adapters_get_gradients_and_the_base_is_bitwise_unchanged_by_training()
    {
        using var model = Adapted(3);
        var before = model.FrozenParameters().Select(p => Values(p.Parameter)).ToList();
        var adaptersBefore = model.TrainableParameters().Select(p => Values(p.Parameter)).ToList();
        using var flat = new FlatParameters(model);
        Assert.Equal(model.TrainableParameters().Sum(p => p.Parameter.numel()), flat.Length);
        using var tokens = Tokens();
        for (var step = 0; step < 3; step++)
        {
            flat.ZeroGradients();
            using (var scope = NewDisposeScope())
            {
                var result = CrossEntropy.Compute(model.forward(tokens.narrow(1, 0, 8)), tokens.narrow(1, 1, 8), nn.Reduction.Sum);
                result.Loss.backward();
            }
            using (no_grad()) flat.ParameterBuffer.sub_(flat.GradientBuffer * 0.01);
        }
        Assert.All(model.FrozenParameters(), p => Assert.Null(p.Parameter.grad));
        Assert.Contains(flat.GradientSpan.ToArray(), g => g != 0);
        var after = model.FrozenParameters().Select(p => Values(p.Parameter)).ToList();
        for (var i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
        var adaptersAfter = model.TrainableParameters().Select(p => Values(p.Parameter)).ToList();
        Assert.Contains(Enumerable.Range(0, adaptersAfter.Count), i => !adaptersAfter[i].SequenceEqual(adaptersBefore[i]));
    }

    [Fact]
    public void The_adapter_export_has_peft_key_names_and_shapes()
    {
        using var model = Adapted(4, Lora with { Targets = ["blocks.*.qkv"] });
        using var dir = new TempDirectory();
        LoraExport.WriteAdapter(model, dir.Path, "base.safetensors");
        using var reader = SafeTensorsReader.Open(System.IO.Path.Combine(dir.Path, LoraExport.AdapterWeightsFile));
        Assert.Equal(
            new[] { "base_model.model.blocks.0.qkv.lora_A.weight", "base_model.model.blocks.0.qkv.lora_B.weight",
                    "base_model.model.blocks.1.qkv.lora_A.weight", "base_model.model.blocks.1.qkv.lora_B.weight" },
            reader.Tensors.Select(t => t.Name).Order());
        Assert.Equal(new long[] { 4, Config.Width }, reader.Get("base_model.model.blocks.1.qkv.lora_A.weight").Shape);
        var json = File.ReadAllText(System.IO.Path.Combine(dir.Path, LoraExport.AdapterConfigFile));
        Assert.Contains("\"r\": 4", json);
        Assert.Contains("\"lora_alpha\": 8", json);
        Assert.Contains("\"peft_type\": \"LORA\"", json);
    }

    [Theory]
    [InlineData("attn.qkv")]
    [InlineData("blocks.7.*")]
    public void A_target_pattern_that_matches_nothing_is_an_error_naming_the_key_and_the_modules(string pattern)
    {
        using var gen = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => new Gpt(Config, gen, lora: Lora with { Targets = ["qkv", pattern] }));
        Assert.Contains("actortrain.finetune.lora.targets", e.Message);
        Assert.Contains($"'{pattern}'", e.Message);
        Assert.Contains("blocks.0.qkv", e.Message);
    }

    [Theory]
    [InlineData(0, 8, 0, "actortrain.finetune.lora.rank")]
    [InlineData(4, 0, 0, "actortrain.finetune.lora.alpha")]
    [InlineData(4, 8, 1, "actortrain.finetune.lora.dropout")]
    public void Bad_lora_values_name_their_key(int rank, double alpha, double dropout, string key)
    {
        using var gen = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => new Gpt(Config, gen, lora: new LoraConfig(rank, alpha, dropout, ["qkv"])));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Modules_to_save_train_in_full_beside_the_adapters_and_travel_with_the_adapter_export()
    {
        var lora = Lora with { ModulesToSave = ["tok", "pos"] };
        using var model = Adapted(3, lora);
        var trainable = model.TrainableParameters().Select(p => p.Name).ToList();
        Assert.Contains("tok.weight", trainable);
        Assert.Contains("pos.weight", trainable);
        Assert.All(trainable.Where(n => n is not ("tok.weight" or "pos.weight")), n => Assert.Contains(".lora_", n));
        Assert.Equal(model.Adapters.Count * 2 + 2, trainable.Count);

        // Training moves the embeddings, and the adapter export carries them under peft's names.
        using (var scope = NewDisposeScope())
        {
            var tokens = Tokens();
            var before = Values(model.Pos.weight!);
            var loss = CrossEntropy.Compute(model.forward(tokens.narrow(1, 0, 8)), tokens.narrow(1, 1, 8), nn.Reduction.Sum).Loss;
            loss.backward();
            Assert.NotNull(model.Pos.weight!.grad);
            using var opt = optim.SGD(model.TrainableParameters().Select(p => p.Parameter), 0.1);
            opt.step();
            Assert.NotEqual(before, Values(model.Pos.weight!));
        }
        using var dir = new TempDirectory();
        LoraExport.WriteAdapter(model, dir.Path);
        using var reader = SafeTensorsReader.Open(Path.Combine(dir.Path, LoraExport.AdapterWeightsFile));
        Assert.Equal(Values(model.Pos.weight!), reader.ReadFloat32("base_model.model.pos.weight"));
        Assert.Contains("\"modules_to_save\"", File.ReadAllText(Path.Combine(dir.Path, LoraExport.AdapterConfigFile)));
    }

    [Theory]
    [InlineData("embeddings", "matches no module")]
    [InlineData("qkv", "also gets an adapter")]
    public void A_bad_modules_to_save_pattern_is_an_error_naming_the_key(string pattern, string message)
    {
        using var gen = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => new Gpt(Config, gen, lora: Lora with { ModulesToSave = [pattern] }));
        Assert.Contains("actortrain.finetune.lora.modules-to-save", e.Message);
        Assert.Contains(message, e.Message);
    }
}
