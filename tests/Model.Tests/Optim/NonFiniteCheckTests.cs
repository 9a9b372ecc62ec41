using ActorTrain.Model.Optim;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Optim;

public class NonFiniteCheckTests
{
    [Fact]
    public void Finite_buffers_pass_and_one_NaN_or_infinity_anywhere_is_found()
    {
        var gen = from n in Gen.Choose(1, 10000)
                  from position in Gen.Choose(0, n - 1)
                  from bad in Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity)
                  select (n, position, bad);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var (n, position, bad) = t;
            var values = Enumerable.Range(0, n).Select(i => (i % 7 - 3) * 1e30f).ToArray();
            if (NonFiniteCheck.HasNonFinite(values))
            {
                return false;
            }
            values[position] = bad;
            return NonFiniteCheck.HasNonFinite(values) && NonFiniteCheck.IndexOfNonFinite(values) == position;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Extreme_finite_values_are_not_reported()
        => Assert.False(NonFiniteCheck.HasNonFinite([float.MaxValue, float.MinValue, float.Epsilon, -0f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f]));
}
