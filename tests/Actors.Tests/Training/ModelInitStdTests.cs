using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Actors.Tests.Training;

public sealed class ModelInitStdTests
{
    private static Gpt Build(params string[] sets)
    {
        var settings = ActorTrainConfigLoader.Load(null, new Dictionary<string, string>(), ["actortrain.model.preset=gpt-small", .. sets]).Settings;
        using var gen = new Generator(3);
        return new Gpt(ModelFactory.ConfigFor(settings.Model), gen);
    }

    private static double Rms(TorchSharp.Modules.Parameter p) => Math.Sqrt(p.square().mean().item<float>());

    [Fact]
    public void Model_init_std_sets_the_spread_of_gpt2_normal_linear_weights_and_of_the_embeddings()
    {
        using var standard = Build();
        using var wide = Build("actortrain.model.init-std=0.05");
        Assert.InRange(Rms(standard.Blocks[0].Fc.weight!), 0.02 * 0.97, 0.02 * 1.03);
        Assert.InRange(Rms(wide.Blocks[0].Fc.weight!), 0.05 * 0.97, 0.05 * 1.03);
        Assert.InRange(Rms(wide.Tok.weight!), 0.05 * 0.97, 0.05 * 1.03);
        // Same draws, scaled: the generator's sequence does not depend on the spread.
        Assert.True((wide.Blocks[0].Fc.weight! * 0.4).allclose(standard.Blocks[0].Fc.weight!, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void Model_init_std_leaves_xavier_linear_weights_alone_but_spreads_the_embeddings()
    {
        using var standard = Build("actortrain.model.init=xavier-uniform");
        using var wide = Build("actortrain.model.init=xavier-uniform", "actortrain.model.init-std=0.05");
        Assert.InRange(Rms(wide.Tok.weight!), 0.05 * 0.97, 0.05 * 1.03);
        // The embeddings' draws are scaled, not more or fewer, so the Linear weights after them are the same values.
        Assert.True(wide.Blocks[0].Fc.weight!.eq(standard.Blocks[0].Fc.weight!).all().item<bool>(), "xavier-uniform's Linear weights changed with init-std");
    }
}
