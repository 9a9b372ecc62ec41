namespace ActorTrain.Model.Data;

/// <summary>Settings of an <see cref="ArithmeticCorpus"/>.</summary>
/// <param name="Seed">Decides which problems go to validation (and the order within each split).</param>
/// <param name="MaxOperand">Largest operand: 99 gives all two-digit sums 0+0 … 99+99.</param>
/// <param name="Operators">Operators to use, from "+-". Subtraction uses only left ≥ right (answers stay non-negative).</param>
/// <param name="ValidationFraction">Share of the problems held out for validation, in [0, 1).</param>
/// <param name="MaxProblems">Optional cap on the number of problems drawn (before the split) for large operand ranges.</param>
public sealed record ArithmeticCorpusOptions(
    long Seed = 1234,
    int MaxOperand = 99,
    string Operators = "+",
    double ValidationFraction = 0.1,
    int? MaxProblems = null);
