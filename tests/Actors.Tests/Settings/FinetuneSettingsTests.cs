using ActorTrain.Actors.Settings;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

public sealed class FinetuneSettingsTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void Double_quantisation_and_modules_to_save_bind_into_the_lora_config()
    {
        var s = ActorTrainConfigLoader.Load(null, NoEnv,
            ["actortrain.finetune.nf4=on", "actortrain.finetune.nf4-double-quant=on", "actortrain.finetune.lora.modules-to-save=[tok, pos]"]).Settings.Finetune;
        Assert.True(s.Nf4DoubleQuant);
        Assert.Equal(["tok", "pos"], s.Lora!.SavedModules);
        Assert.True(s.Lora.IsSaved("pos.weight"));
        Assert.False(s.Lora.IsSaved("blocks.0.qkv.weight"));
        var defaults = ActorTrainConfigLoader.Load(null, NoEnv, []).Settings.Finetune;
        Assert.False(defaults.Nf4DoubleQuant);
        Assert.Empty(defaults.Lora!.SavedModules);
    }

    [Fact]
    public void Double_quantisation_without_nf4_is_refused_naming_the_key()
    {
        var e = Assert.Throws<SettingsValidationException>(() =>
            ActorTrainConfigLoader.Load(null, NoEnv, ["actortrain.finetune.nf4-double-quant=on"]));
        var error = Assert.Single(e.Errors);
        Assert.Equal("actortrain.finetune.nf4-double-quant", error.Key);
        Assert.Contains("nf4 = on", error.Message);
    }

    [Fact]
    public void The_lora_example_binds_with_its_modules_to_save()
    {
        var example = Path.Combine(SettingsTestFiles.HoconFolder(), "examples", "finetune-lora.conf");
        var s = ActorTrainConfigLoader.Load(example, NoEnv, []).Settings;
        Assert.Equal(JobKind.Finetune, s.Job.Kind);
        Assert.Equal(["tok", "pos"], s.Finetune.Lora!.SavedModules);
        Assert.Contains("head", s.Finetune.Lora.Targets);
    }
}
