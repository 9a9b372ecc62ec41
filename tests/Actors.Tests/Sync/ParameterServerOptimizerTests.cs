using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

public sealed class ParameterServerOptimizerTests
{
    /// <summary>Plain SGD with a per-offset weight, to check that shards get the right global offsets.</summary>
    private sealed class OffsetSgd(float learningRate) : IShardOptimizer
    {
        public void Step(Span<float> paramShard, ReadOnlySpan<float> gradShard, long shardOffset)
        {
            for (int i = 0; i < paramShard.Length; i++)
                paramShard[i] -= learningRate * gradShard[i] * (1 + (shardOffset + i) % 3);
        }
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(3, 2, 1000)]
    [InlineData(4, 3, 2)]
    [InlineData(2, 4, 777)]
    public async Task Optimizer_steps_on_the_shards_give_every_rank_the_same_updated_parameters(int world, int shards, int length)
    {
        await using var group = await InProcessSyncGroup.CreateAsync(world, SyncStrategy.ParameterServer, SmallOptions(TransportKind.Auto),
            parameterServerShards: shards, optimizerForShard: _ => new OffsetSgd(0.5f));
        var members = group.Members.Cast<ParameterServerSync>().ToArray();
        float[][] parameters = [.. Enumerable.Range(0, world).Select(r => Input(7, r, length))];
        float[] expected = (float[])parameters[0].Clone();
        await Task.WhenAll(members.Select(m => m.InitializeParametersAsync(parameters[m.Rank])));
        AssertBitwiseIdentical([expected, .. parameters]);

        for (int step = 0; step < 2; step++)
        {
            float[][] gradients = [.. Enumerable.Range(0, world).Select(r => Input(100 + step, r, length))];
            for (int i = 0; i < length; i++)
            {
                float sum = gradients[0][i];
                for (int r = 1; r < world; r++) sum += gradients[r][i];
                expected[i] -= 0.5f * (sum / world) * (1 + i % 3);
            }
            await Task.WhenAll(members.Select(m => m.StepAsync(gradients[m.Rank], parameters[m.Rank])));
            AssertBitwiseIdentical([expected, .. parameters]);
        }
    }

    [Fact]
    public async Task An_optimizer_step_before_initialisation_fails_naming_the_shard_and_what_to_call()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(2, SyncStrategy.ParameterServer, SmallOptions(TransportKind.Tcp),
            parameterServerShards: 1, optimizerForShard: _ => new OffsetSgd(1));
        var members = group.Members.Cast<ParameterServerSync>().ToArray();
        var calls = members.Select(m => m.StepAsync(new float[8], new float[8])).ToArray();
        foreach (var call in calls)
        {
            var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => call).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("InitializeParametersAsync", failure.Message);
        }
    }
}
