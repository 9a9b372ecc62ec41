using System.Diagnostics;
using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

public sealed class GptTests
{
    // Per block: ln1, ln2 (2·256 each), qkv (256·768 + 768), proj (256·256 + 256), fc (256·1024 + 1024),
    // out (1024·256 + 256) = 789,760; 4 blocks + tok 65,536 + pos 32,768 + ln 512 + head 65,536.
    private const long GptBenchParameters = 3_323_392;

    [Fact]
    public void Gpt_bench_has_the_reference_parameter_count_and_names()
    {
        using var gen = new Generator(0);
        using var model = new Gpt(GptConfig.GptBench, gen);
        Assert.Equal(GptBenchParameters, model.ParameterCount());
        var names = model.NamedParameters().Select(p => p.Name).ToList();
        Assert.Equal(["tok.weight", "pos.weight", "blocks.0.ln1.weight", "blocks.0.ln1.bias", "blocks.0.ln2.weight",
            "blocks.0.ln2.bias", "blocks.0.qkv.weight", "blocks.0.qkv.bias", "blocks.0.proj.weight", "blocks.0.proj.bias",
            "blocks.0.fc.weight", "blocks.0.fc.bias", "blocks.0.out.weight", "blocks.0.out.bias"], names.Take(14));
        Assert.Equal(["ln.weight", "ln.bias", "head.weight"], names.TakeLast(3));
        Assert.Empty(model.named_buffers());
    }

    [TorchFact]
    public void Gpt_bench_names_and_shapes_equal_the_pytorch_scripts_state_dict()
    {
        var script = RepositoryFiles.Path("bench/peers/pytorch_ddp_baseline.py");
        var code = "import importlib.util,sys\n" +
                   $"s=importlib.util.spec_from_file_location('b','{script}');m=importlib.util.module_from_spec(s);s.loader.exec_module(m)\n" +
                   "for n,p in m.Gpt().named_parameters(): print(n, 'x'.join(map(str,p.shape)))\n";
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", code]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(psi)!;
        var stdout = python.StandardOutput.ReadToEnd();
        var stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, stderr);
        var expected = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var gen = new Generator(0);
        using var model = new Gpt(GptConfig.GptBench, gen);
        var actual = model.NamedParameters().Select(p => $"{p.Name} {string.Join("x", p.Parameter.shape)}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Gpt_forward_gives_logits_per_position_and_is_seed_deterministic()
    {
        using var scope = NewDisposeScope();
        using var gen1 = new Generator(7);
        using var gen2 = new Generator(7);
        using var a = new Gpt(GptConfig.Tiny, gen1);
        using var b = new Gpt(GptConfig.Tiny, gen2);
        var tokens = tensor(new long[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var logits = a.forward(tokens);
        Assert.Equal([2L, 3L, 32L], logits.shape);
        Assert.Equal(logits.data<float>().ToArray(), b.forward(tokens).data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => a.forward(zeros([1, 17], int64)));
    }

    [Fact]
    public void Attention_is_causal_a_later_token_never_changes_earlier_logits()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(3);
        using var model = new Gpt(GptConfig.Tiny, gen);
        var first = model.forward(tensor(new long[] { 1, 2, 3, 4 }, [1, 4]));
        var second = model.forward(tensor(new long[] { 1, 2, 3, 9 }, [1, 4]));
        Assert.True(first.narrow(1, 0, 3).allclose(second.narrow(1, 0, 3)));
        Assert.False(first.narrow(1, 3, 1).allclose(second.narrow(1, 3, 1)));
    }

    [Theory]
    [InlineData(InitScheme.XavierUniform)]
    [InlineData(InitScheme.XavierNormal)]
    [InlineData(InitScheme.KaimingUniform)]
    [InlineData(InitScheme.KaimingNormal)]
    [InlineData(InitScheme.Gpt2Normal)]
    public void Init_schemes_give_the_documented_weight_spread(InitScheme scheme)
    {
        // fc of a width-128 block: (512, 128), fan_in 128, fan_out 512.
        using var gen = new Generator(11);
        using var model = new Gpt(GptConfig.Small with { Init = scheme }, gen);
        var fc = model.Blocks[0].Fc;
        var std = Math.Sqrt(fc.weight!.square().mean().item<float>());
        var expected = scheme switch
        {
            InitScheme.XavierUniform or InitScheme.XavierNormal => Math.Sqrt(2.0 / 640),
            InitScheme.KaimingUniform or InitScheme.KaimingNormal => Math.Sqrt(2.0 / 128),
            _ => 0.02,
        };
        Assert.InRange(std, expected * 0.97, expected * 1.03);
        Assert.Equal(0.0, fc.bias!.abs().sum().item<float>());
        Assert.Equal(1.0, model.Blocks[0].Ln1.weight!.mean().item<float>());
    }
}
