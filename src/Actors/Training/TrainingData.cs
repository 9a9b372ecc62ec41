using ActorTrain.Actors.Settings;
using ActorTrain.Model.Data;

namespace ActorTrain.Actors.Training;

/// <summary>
/// The corpus a job trains on, built from <c>actortrain.data</c>: the training split every rank samples from, the
/// validation split rank 0 evaluates on, and (arithmetic only) the validation problems for exact-match.
/// </summary>
public sealed class TrainingData
{
    private TrainingData(ISequenceDataset train, ISequenceDataset validation, IReadOnlyList<GenerationExample>? exactMatch, ITokenizer tokenizer)
    {
        Train = train;
        Validation = validation;
        ExactMatchExamples = exactMatch;
        Tokenizer = tokenizer;
    }

    /// <summary>Training sequences.</summary>
    public ISequenceDataset Train { get; }

    /// <summary>Validation sequences (may be empty).</summary>
    public ISequenceDataset Validation { get; }

    /// <summary>The validation split as generation tasks (exact-match evaluation): arithmetic problems, or the held-out
    /// conversations of instruction data (answer = the last assistant turn); null for plain text.</summary>
    public IReadOnlyList<GenerationExample>? ExactMatchExamples { get; }

    /// <summary>The tokenizer (byte-level).</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Builds the corpus. The same settings give the same data on every rank.</summary>
    /// <exception cref="ArgumentException">The corpus is empty or its tokens do not fit the model's vocabulary.</exception>
    public static TrainingData Load(DataSettings data, int contextLength)
    {
        var tokenizer = ByteTokenizer.Instance;
        switch (data.Source)
        {
            case DataSource.Arithmetic:
            {
                var universe = DataSettings.ArithmeticDistinctSums(data.MaxOperand);
                if ((long)data.TrainSize + data.ValSize > universe || data.TrainSize < 1)
                    throw new ArgumentException($"actortrain.data.train-size ({data.TrainSize}) + val-size ({data.ValSize}) must be between 1 + val-size and the {universe:N0} distinct sums max-operand {data.MaxOperand} gives");
                var total = data.TrainSize + data.ValSize;
                var corpus = new ArithmeticCorpus(new ArithmeticCorpusOptions(data.Seed, data.MaxOperand, "+", (double)data.ValSize / total, total), tokenizer);
                var examples = Enumerable.Range(0, corpus.Validation.Count).Select(i => GenerationExample.Of(corpus.Validation.Problem(i))).ToArray();
                return new TrainingData(corpus.Train, corpus.Validation, examples, tokenizer);
            }
            case DataSource.Text:
                return Split(new TextFileDataset(data.FilePath, contextLength), data, tokenizer, null);
            case DataSource.Jsonl:
                var conversations = new JsonlInstructionDataset(data.FilePath, tokenizer);
                return Split(conversations, data, tokenizer, conversations.Example);
            default:
                throw new ArgumentOutOfRangeException(nameof(data), data.Source, "unknown data source");
        }
    }

    private static TrainingData Split(ISequenceDataset all, DataSettings data, ITokenizer tokenizer, Func<int, GenerationExample>? example)
    {
        // The last val-size sequences are held out; train-size (0 = all the rest) caps the training part.
        var val = Math.Min(data.ValSize, all.Count - 1);
        var trainCount = all.Count - val;
        if (data.TrainSize > 0) trainCount = Math.Min(trainCount, data.TrainSize);
        if (trainCount < 1)
            throw new ArgumentException($"{data.FilePath}: {all.Count} sequences leave nothing to train on after holding out actortrain.data.val-size = {data.ValSize}");
        var examples = example is null ? null : Enumerable.Range(all.Count - val, val).Select(example).ToArray();
        return new TrainingData(new DatasetSlice(all, 0, trainCount), new DatasetSlice(all, all.Count - val, val), examples, tokenizer);
    }

    /// <summary>Throws when a sequence's token is outside the model's vocabulary (checked on a prefix of each split).</summary>
    public void CheckVocabulary(int vocabSize)
    {
        foreach (var (name, set) in new[] { ("training", Train), ("validation", Validation) })
        {
            for (var i = 0; i < Math.Min(set.Count, 2048); i++)
            {
                foreach (var t in set[i].Tokens)
                {
                    if (t < 0 || t >= vocabSize)
                        throw new ArgumentException($"{name} sequence {i} holds token {t}, outside actortrain.model.vocab-size = {vocabSize}; raise vocab-size (256 for byte tokens)");
                }
            }
        }
    }

    private sealed class DatasetSlice(ISequenceDataset inner, int start, int count) : ISequenceDataset
    {
        public int Count => count;

        public TrainingSequence this[int index] =>
            (uint)index < (uint)count ? inner[start + index] : throw new ArgumentOutOfRangeException(nameof(index), index, $"dataset slice has {count} sequences");
    }
}
