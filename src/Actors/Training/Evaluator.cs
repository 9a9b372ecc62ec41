using ActorTrain.Model.Data;
using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using static TorchSharp.torch;

namespace ActorTrain.Actors.Training;

/// <summary>Result of one evaluation.</summary>
/// <param name="ValidationLoss">Mean token loss over the evaluated validation sequences (null when there are none).</param>
/// <param name="ExactMatch">Share of arithmetic prompts answered exactly by greedy decoding (null when not arithmetic).</param>
/// <param name="Samples">A few "prompt → answer ✓/✗" lines.</param>
public sealed record EvaluationResult(double? ValidationLoss, double? ExactMatch, IReadOnlyList<string> Samples);

/// <summary>
/// Rank 0's evaluation: validation loss (sum-reduced cross entropy / tokens, batched) and exact-match by greedy
/// generation on arithmetic prompts. Runs in eval mode without gradient recording and uses no collectives.
/// </summary>
public sealed class Evaluator
{
    private const int BatchSize = 256;
    private readonly Gpt _model;
    private readonly TrainingData _data;
    private readonly Batcher _batcher;
    private readonly Device _device;

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>'s validation split.</summary>
    public Evaluator(Gpt model, TrainingData data, Device device)
    {
        _model = model;
        _data = data;
        _device = device;
        _batcher = new Batcher(model.Config.ContextLength);
    }

    /// <summary>Validation loss over up to <paramref name="maxLossSequences"/> sequences and exact-match over the first
    /// <paramref name="exactMatchSamples"/> arithmetic problems; <paramref name="sampleLines"/> sample lines.</summary>
    public EvaluationResult Run(int maxLossSequences, int exactMatchSamples, int sampleLines = 3)
    {
        var wasTraining = _model.training;
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            var loss = ValidationLoss(Math.Min(maxLossSequences, _data.Validation.Count));
            if (_data.ExactMatchExamples is not { Count: > 0 } problems || exactMatchSamples <= 0)
                return new EvaluationResult(loss, null, []);
            var (exact, samples) = ExactMatch(problems, Math.Min(exactMatchSamples, problems.Count), sampleLines);
            return new EvaluationResult(loss, exact, samples);
        }
        finally
        {
            _model.train(wasTraining);
        }
    }

    private double? ValidationLoss(int count)
    {
        if (count <= 0) return null;
        double sum = 0;
        long tokens = 0;
        var sequences = new List<TrainingSequence>(BatchSize);
        for (var start = 0; start < count; start += BatchSize)
        {
            sequences.Clear();
            for (var i = start; i < Math.Min(count, start + BatchSize); i++) sequences.Add(_data.Validation[i]);
            var batch = _batcher.Collate(sequences);
            using var scope = NewDisposeScope();
            var inputs = tensor(batch.Inputs, batch.Shape, device: _device);
            var targets = tensor(batch.Targets, batch.Shape, device: _device);
            var result = CrossEntropy.Compute(_model.forward(inputs), targets, nn.Reduction.Sum);
            sum += result.Loss.item<float>();
            tokens += result.Count;
        }
        return tokens > 0 ? sum / tokens : null;
    }

    private (double ExactMatch, IReadOnlyList<string> Samples) ExactMatch(IReadOnlyList<GenerationExample> problems, int count, int sampleLines)
    {
        var tokenizer = _data.Tokenizer;
        var continuations = new string[count];
        // Prompts of equal length decode together as one batch: every row grows by one token per forward.
        foreach (var group in Enumerable.Range(0, count).GroupBy(i => tokenizer.Encode(problems[i].Prompt).Length))
        {
            var rows = group.ToArray();
            var promptLength = group.Key;
            var maxAnswer = rows.Max(i => tokenizer.Encode(problems[i].Expected).Length);
            var steps = Math.Min(maxAnswer, _model.Config.ContextLength - promptLength);
            var tokens = new long[rows.Length * promptLength];
            for (var r = 0; r < rows.Length; r++) tokenizer.Encode(problems[rows[r]].Prompt).CopyTo(tokens, r * promptLength);
            var generated = new long[rows.Length, Math.Max(steps, 0)];
            using (var scope = NewDisposeScope())
            {
                var x = tensor(tokens, [rows.Length, promptLength], device: _device);
                for (var s = 0; s < steps; s++)
                {
                    var logits = _model.forward(x);
                    var next = logits.select(1, x.shape[1] - 1).argmax(1);
                    var nextHost = next.cpu().data<long>().ToArray();
                    for (var r = 0; r < rows.Length; r++) generated[r, s] = nextHost[r];
                    if (s + 1 < steps) x = cat([x, next.unsqueeze(1)], 1);
                }
            }
            for (var r = 0; r < rows.Length; r++)
            {
                var ids = new long[steps];
                for (var s = 0; s < steps; s++) ids[s] = generated[r, s];
                continuations[rows[r]] = SafeDecode(tokenizer, ids);
            }
        }
        var correct = 0;
        var samples = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var problem = problems[i];
            var ok = problem.IsExactMatch(continuations[i]);
            if (ok) correct++;
            if (samples.Count < sampleLines)
            {
                var shown = continuations[i].Split(ArithmeticProblem.EndMarker)[0];
                samples.Add($"{problem.Label} → {shown} {(ok ? "✓" : $"✗ (expected {problem.Expected.Split(ArithmeticProblem.EndMarker)[0]})")}");
            }
        }
        return (count > 0 ? (double)correct / count : 0, samples);
    }

    private static string SafeDecode(ITokenizer tokenizer, long[] ids)
    {
        // A model with a vocabulary above 256 could emit non-byte ids; they are shown as '?'.
        for (var i = 0; i < ids.Length; i++) if (ids[i] is < 0 or > 255) ids[i] = '?';
        return tokenizer.Decode(ids);
    }
}
