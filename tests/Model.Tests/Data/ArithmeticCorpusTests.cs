using ActorTrain.Model.Data;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Data;

public class ArithmeticCorpusTests
{
    [Fact]
    public void Two_digit_sums_cover_every_problem_once_split_without_overlap()
    {
        var corpus = new ArithmeticCorpus(new ArithmeticCorpusOptions(Seed: 7, MaxOperand: 99, ValidationFraction: 0.1));
        var train = corpus.Train.Problems.ToArray();
        var validation = corpus.Validation.Problems.ToArray();
        Assert.Equal(1000, validation.Length);
        Assert.Equal(9000, train.Length);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(10000, train.Concat(validation).Distinct().Count());
        Assert.All(train, p => Assert.InRange(p.Left, 0, 99));
    }

    [Fact]
    public void The_same_seed_gives_the_same_splits_and_another_seed_other_splits()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 10000)), seed =>
        {
            var options = new ArithmeticCorpusOptions(Seed: seed, MaxOperand: 30, Operators: "+-");
            var a = new ArithmeticCorpus(options);
            var b = new ArithmeticCorpus(options);
            var c = new ArithmeticCorpus(options with { Seed = seed + 1 });
            return a.Validation.Problems.SequenceEqual(b.Validation.Problems)
                && a.Train.Problems.SequenceEqual(b.Train.Problems)
                && !a.Validation.Problems.SequenceEqual(c.Validation.Problems);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_problem_has_prompt_answer_with_end_marker_and_exact_match()
    {
        var p = new ArithmeticProblem(317, '+', 48);
        Assert.Equal("317+48=", p.Prompt);
        Assert.Equal("365\n", p.Answer);
        Assert.True(p.IsExactMatch("365\n7+1=8"));
        Assert.False(p.IsExactMatch("365"));
        Assert.False(p.IsExactMatch("3650\n"));
        Assert.Equal("12-5=7\n", new ArithmeticProblem(12, '-', 5).Text);
    }

    [Fact]
    public void The_training_sequence_takes_loss_only_on_the_answer()
    {
        var s = new ArithmeticProblem(317, '+', 48).ToSequence(ByteTokenizer.Instance);
        Assert.Equal("317+48=365\n", ByteTokenizer.Instance.Decode(s.Tokens));
        Assert.Equal(Enumerable.Repeat(-100L, 7), s.Labels[..7]);
        Assert.Equal(ByteTokenizer.Instance.Encode("365\n"), s.Labels[7..]);
    }

    [Fact]
    public void Subtraction_keeps_answers_non_negative()
    {
        var corpus = new ArithmeticCorpus(new ArithmeticCorpusOptions(MaxOperand: 20, Operators: "-"));
        Assert.All(corpus.Train.Problems.ToArray(), p => Assert.True(p.Result >= 0));
        Assert.Equal(21 * 22 / 2, corpus.Train.Count + corpus.Validation.Count);
    }

    [Fact]
    public void Bad_options_are_rejected_naming_the_option()
    {
        Assert.Contains("operators", Assert.Throws<ArgumentException>(() => new ArithmeticCorpus(new ArithmeticCorpusOptions(Operators: "*"))).Message);
        Assert.Contains("validation fraction", Assert.Throws<ArgumentOutOfRangeException>(() => new ArithmeticCorpus(new ArithmeticCorpusOptions(ValidationFraction: 1))).Message);
        Assert.Contains("max-operand", Assert.Throws<ArgumentOutOfRangeException>(() => new ArithmeticCorpus(new ArithmeticCorpusOptions(MaxOperand: 100000))).Message);
    }

    [Fact]
    public void Max_problems_caps_the_corpus_before_the_split()
    {
        var corpus = new ArithmeticCorpus(new ArithmeticCorpusOptions(MaxOperand: 999, MaxProblems: 5000, ValidationFraction: 0.2));
        Assert.Equal(1000, corpus.Validation.Count);
        Assert.Equal(4000, corpus.Train.Count);
    }
}
