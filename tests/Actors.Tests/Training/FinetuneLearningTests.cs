using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Data;
using Xunit;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>
/// Fine-tuning learns: the README example at a small scale (one-digit sums, width 64), seeded, single process on one CPU
/// thread. The base is pretrained on "7+5=" prompts; the fine-tune sees the same sums as chat conversations
/// ("What is 7 plus 5?") and must answer held-out ones exactly, end marker included.
/// </summary>
public sealed class FinetuneLearningTests : IClassFixture<FinetuneLearningTests.SumsBase>
{
    private readonly SumsBase _base;

    public FinetuneLearningTests(SumsBase sumsBase) => _base = sumsBase;

    /// <summary>A base pretrained on the 100 one-digit sums (300 steps) and the same sums as 100 JSONL conversations.</summary>
    public sealed class SumsBase : IDisposable
    {
        private readonly TempRunDir _dir = new();

        public SumsBase()
        {
            var s = Model(TrainingTestSupport.TinySettings(_dir.Sub("base"), steps: 300, microBatch: 32, width: 64, layers: 2));
            s = s with { Data = s.Data with { MaxOperand = 9, TrainSize = 90, ValSize = 10 }, Train = s.Train with { EvalSamples = 10, WarmupSteps = 20 } };
            Outcome = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s));
            BasePath = new CheckpointStore(_dir.Sub("base")).DirectoryOf(300);
            DataPath = _dir.Sub("chat.jsonl");
            File.WriteAllLines(DataPath, ArithmeticInstructions.Lines(7, 9, 100));
        }

        public TrainingOutcome Outcome { get; }
        public string BasePath { get; }
        public string DataPath { get; }
        public string RunDir(string name) => _dir.Sub(name);

        public void Dispose() => _dir.Dispose();
    }

    /// <summary>Byte vocabulary and a 64-token context: the chat template needs both.</summary>
    private static ActorTrainSettings Model(ActorTrainSettings s) =>
        s with { Model = s.Model with { VocabSize = 256, Context = 64, Heads = 4 }, Train = s.Train with { LogEvery = 50 } };

    private TrainingOutcome Finetune(string name, bool nf4)
    {
        var s = Model(TrainingTestSupport.TinySettings(_base.RunDir(name), steps: 300, microBatch: 32, width: 64, layers: 2));
        s = s with
        {
            Job = s.Job with { Kind = JobKind.Finetune },
            Finetune = s.Finetune with
            {
                Base = _base.BasePath, Method = FinetuneMethod.Lora, LoraRank = 8, LoraAlpha = 16, Nf4 = nf4, Nf4DoubleQuant = nf4,
                LoraTargets = ["qkv", "proj", "fc", "out", "head"], LoraModulesToSave = ["tok", "pos"],
            },
            Data = s.Data with { Source = DataSource.Jsonl, FilePath = _base.DataPath, TrainSize = 0, ValSize = 20 },
            Train = s.Train with { Lr = 5e-3, InitialLr = 5e-4, MinLr = 5e-4, WarmupSteps = 20, EvalSamples = 20 },
        };
        return TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoRA_on_a_sums_base_learns_the_chat_form_of_held_out_sums(bool nf4)
    {
        Assert.True(_base.Outcome.ExactMatch >= 0.9, $"the base reached only {_base.Outcome.ExactMatch:P1} on its own sums");
        var outcome = Finetune(nf4 ? "nf4" : "fp32", nf4);
        // Before: the base has never seen the template (nor emitted its end marker), so no answer is exactly right.
        Assert.Equal(0.0, outcome.InitialExactMatch);
        Assert.True(outcome.ExactMatch >= 0.75,
            $"{(nf4 ? "NF4" : "float32")} base: exact-match {outcome.ExactMatch:P1} on 20 held-out conversations after 300 LoRA steps " +
            $"(validation loss {outcome.ValidationLoss:0.000}; samples: {string.Join(" | ", outcome.Samples)})");
    }
}
