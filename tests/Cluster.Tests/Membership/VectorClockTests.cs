using ActorTrain.Cluster.Membership;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Cluster.Tests.Membership;

public class VectorClockTests
{
    private static readonly Gen<VectorClock> Clocks =
        Gen.ListOf(Gen.Elements("a", "b", "c", "d")).Select(nodes => nodes.Aggregate(VectorClock.Empty, (c, n) => c.Increment(n)));

    private static readonly Arbitrary<VectorClock> ArbClock = Arb.From(Clocks);

    [Fact]
    public void Merge_is_commutative_associative_and_idempotent() =>
        Prop.ForAll(ArbClock, ArbClock, ArbClock, (x, y, z) =>
            x.Merge(y).Equals(y.Merge(x)) && x.Merge(y).Merge(z).Equals(x.Merge(y.Merge(z))) && x.Merge(x).Equals(x))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Merge_is_after_or_same_as_both_inputs() =>
        Prop.ForAll(ArbClock, ArbClock, (x, y) =>
            x.Merge(y).CompareTo(x) is VectorClockOrdering.After or VectorClockOrdering.Same
            && x.Merge(y).CompareTo(y) is VectorClockOrdering.After or VectorClockOrdering.Same)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Comparison_is_antisymmetric() =>
        Prop.ForAll(ArbClock, ArbClock, (x, y) => (x.CompareTo(y), y.CompareTo(x)) switch
        {
            (VectorClockOrdering.Same, VectorClockOrdering.Same) => true,
            (VectorClockOrdering.Before, VectorClockOrdering.After) => true,
            (VectorClockOrdering.After, VectorClockOrdering.Before) => true,
            (VectorClockOrdering.Concurrent, VectorClockOrdering.Concurrent) => true,
            _ => false,
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Independent_increments_are_concurrent_and_an_increment_is_after()
    {
        var baseClock = VectorClock.Empty.Increment("a");
        Assert.Equal(VectorClockOrdering.Concurrent, baseClock.Increment("a").CompareTo(baseClock.Increment("b")));
        Assert.Equal(VectorClockOrdering.After, baseClock.Increment("b").CompareTo(baseClock));
        Assert.Equal(VectorClockOrdering.Before, baseClock.CompareTo(baseClock.Increment("c")));
    }
}
