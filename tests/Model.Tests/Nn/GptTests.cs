using System.Diagnostics;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrain.Model.Tests.Nn;

public sealed class GptTests(ITestOutputHelper output)
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
        Assert.Equal(["blocks.0.mask", "blocks.1.mask", "blocks.2.mask", "blocks.3.mask"],
            model.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void Gpt_bench_names_and_shapes_equal_the_pytorch_scripts_state_dict()
    {
        const string script = "/work/shared/bench/pytorch_ddp_baseline.py";
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script))
        {
            output.WriteLine($"SKIPPED: /usr/bin/python3 or {script} is absent");
            return;
        }
        var code = "import importlib.util,sys\n" +
                   $"s=importlib.util.spec_from_file_location('b','{script}');m=importlib.util.module_from_spec(s);s.loader.exec_module(m)\n" +
                   "for n,p in m.Gpt().named_parameters(): print(n, 'x'.join(map(str,p.shape)))\n";
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", code])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(psi)!;
        var stdout = python.StandardOutput.ReadToEnd();
        var stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0 && stderr.Contains("No module named 'torch'"))
        {
            output.WriteLine("SKIPPED: python3-torch is not installed");
            return;
        }
        Assert.True(python.ExitCode == 0, stderr);
        var expected = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var gen = new Generator(0);
        using var model = new Gpt(GptConfig.GptBench, gen);
        var actual = model.NamedParameters().Select(p => $"{p.Name} {string.Join("x", p.Parameter.Shape)}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Gpt_forward_gives_logits_per_position_and_is_seed_deterministic()
    {
        using var scope = TensorScope.Enter();
        using var gen1 = new Generator(7);
        using var gen2 = new Generator(7);
        using var a = new Gpt(GptConfig.Tiny, gen1);
        using var b = new Gpt(GptConfig.Tiny, gen2);
        var tokens = Tensor.From<long>([1, 2, 3, 4, 5, 6], [2, 3]);
        var logits = a.Forward(tokens);
        Assert.Equal([2L, 3L, 32L], logits.Shape);
        Assert.Equal(logits.ToArray<float>(), b.Forward(tokens).ToArray<float>());
        Assert.Throws<ArgumentException>(() => a.Forward(Tensor.Zeros([1, 17], DType.Int64)));
    }

    [Theory]
    [InlineData(InitScheme.XavierUniform)]
    [InlineData(InitScheme.KaimingNormal)]
    [InlineData(InitScheme.Gpt2Normal)]
    public void Init_schemes_give_the_documented_weight_spread(InitScheme scheme)
    {
        using var scope = TensorScope.Enter();
        using var gen = new Generator(11);
        using var linear = new Linear(400, 300);
        using var wrapper = new Wrapper(linear);
        Initializer.Apply(wrapper, scheme, gen);
        var std = Math.Sqrt(linear.Weight.Square().Mean().Item());
        var expected = scheme switch
        {
            InitScheme.XavierUniform => Math.Sqrt(2.0 / 700), // U(±√(6/700)) has std √(2/700)
            InitScheme.KaimingNormal => Math.Sqrt(2.0 / 400),
            _ => 0.02,
        };
        Assert.InRange(std, expected * 0.97, expected * 1.03);
        Assert.Equal(0.0, linear.Bias!.Abs().Sum().Item());
    }

    private sealed class Wrapper : Module
    {
        public Wrapper(Linear linear) => RegisterModule("inner", linear);
    }
}
