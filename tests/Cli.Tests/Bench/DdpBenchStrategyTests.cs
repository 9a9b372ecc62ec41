using ActorTrain.Actors.Sync;
using ActorTrain.Cli.Bench;
using Xunit;

namespace ActorTrain.Cli.Tests.Bench;

public sealed class DdpBenchStrategyTests
{
    [Theory]
    [InlineData("ring", SyncStrategy.Ring, false)]
    [InlineData("parameter-server", SyncStrategy.ParameterServer, false)]
    [InlineData("parameter-server-optimizer", SyncStrategy.ParameterServer, true)]
    public void Ddp_bench_strategy_labels_select_the_strategy_and_where_the_optimizer_runs(string label, SyncStrategy strategy, bool onShards) =>
        Assert.Equal((strategy, onShards), DdpBenchWorker.ParseStrategyLabel(label));

    [Fact]
    public void An_unknown_ddp_bench_strategy_names_the_accepted_values() =>
        Assert.Contains("ring or parameter-server", Assert.Throws<ArgumentException>(() => DdpBenchWorker.ParseStrategyLabel("gossip")).Message);
}
