using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>Parameter-server shards that apply the optimizer (ps.apply-optimizer): push, apply, export, import.</summary>
public sealed class ParameterServerOptimizerTests
{
    /// <summary>SGD with momentum and a per-offset weight: checks global offsets, the learning rate and the state buffer.</summary>
    private sealed class OffsetMomentumSgd(int start, int length) : IShardOptimizer
    {
        private float[] _velocity = new float[length];

        public IReadOnlyList<string> StateBufferNames => ["velocity"];
        public long StepCount { get; private set; }

        public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                _velocity[i] = 0.5f * _velocity[i] + gradients[i] * (1 + (start + i) % 3);
                parameters[i] -= (float)learningRate * _velocity[i];
            }
            StepCount++;
        }

        public IReadOnlyList<float[]> ExportState() => [(float[])_velocity.Clone()];

        public void ImportState(IReadOnlyList<float[]> buffers, long stepCount)
        {
            _velocity = (float[])buffers[0].Clone();
            StepCount = stepCount;
        }
    }

    private static (float[] Parameters, float[] Velocity) Reference(float[] parameters, float[] velocity, float[][] gradients, float scale, float lr)
    {
        parameters = (float[])parameters.Clone();
        velocity = (float[])velocity.Clone();
        for (int i = 0; i < parameters.Length; i++)
        {
            float sum = gradients[0][i];
            for (int r = 1; r < gradients.Length; r++) sum += gradients[r][i];
            velocity[i] = 0.5f * velocity[i] + sum * scale * (1 + i % 3);
            parameters[i] -= lr * velocity[i];
        }
        return (parameters, velocity);
    }

    [Theory]
    [InlineData(1, 1, 5)]
    [InlineData(3, 2, 1000)]
    [InlineData(4, 3, 2)]
    [InlineData(2, 4, 777)]
    public async Task Shards_sum_scale_and_step_and_every_rank_pulls_the_same_parameters_and_state(int world, int shards, int length)
    {
        await using var group = await InProcessSyncGroup.CreateAsync(world, SyncStrategy.ParameterServer, SmallOptions(TransportKind.Auto),
            parameterServerShards: shards, shardOptimizer: (start, n) => new OffsetMomentumSgd(start, n));
        var members = group.Members.Cast<ParameterServerSync>().ToArray();
        float[][] parameters = [.. Enumerable.Range(0, world).Select(r => Input(7, r, length))];
        var (expected, velocity) = ((float[])parameters[0].Clone(), new float[length]);
        await Task.WhenAll(members.Select(m => m.InitializeParametersAsync(parameters[m.Rank])));
        AssertBitwiseIdentical([expected, .. parameters]);

        for (int step = 0; step < 3; step++)
        {
            float[][] gradients = [.. Enumerable.Range(0, world).Select(r => Input(100 + step, r, length))];
            double squares = 0;
            for (int i = 0; i < length; i++)
            {
                float sum = gradients[0][i];
                for (int r = 1; r < world; r++) sum += gradients[r][i];
                squares += (double)sum * sum;
            }
            var pushed = await Task.WhenAll(members.Select(m => m.PushGradientsAsync(gradients[m.Rank])));
            Assert.All(pushed, p => Assert.Equal(pushed[0], p)); // the same bits on every rank...
            Assert.Equal(squares, pushed[0], squares * 1e-12); // ...and Σg² of the rank-order float32 sum

            float scale = 1f / world, lr = 0.1f * (step + 1);
            (expected, velocity) = Reference(expected, velocity, gradients, scale, lr);
            await Task.WhenAll(members.Select(m => m.ApplyOptimizerAsync(scale, lr, parameters[m.Rank])));
            AssertBitwiseIdentical([expected, .. parameters]);
        }

        float[][] exported = [.. Enumerable.Range(0, world).Select(_ => new float[length])];
        await Task.WhenAll(members.Select(m => m.ExportOptimizerStateAsync([exported[m.Rank]])));
        AssertBitwiseIdentical([velocity, .. exported]);

        // Import replaces the shards' state with rank 0's buffers: a step from zero velocity then matches the reference.
        float[][] zero = [.. Enumerable.Range(0, world).Select(r => r == 0 ? new float[length] : Input(9, r, length))];
        await Task.WhenAll(members.Select(m => m.ImportOptimizerStateAsync([zero[m.Rank]], 0, length)));
        float[][] last = [.. Enumerable.Range(0, world).Select(r => Input(200, r, length))];
        await Task.WhenAll(members.Select(m => m.PushGradientsAsync(last[m.Rank])));
        (expected, _) = Reference(expected, new float[length], last, 1f, 0.5f);
        await Task.WhenAll(members.Select(m => m.ApplyOptimizerAsync(1f, 0.5f, parameters[m.Rank])));
        AssertBitwiseIdentical([expected, .. parameters]);
    }

    [Fact]
    public async Task A_gradient_push_before_initialisation_fails_naming_the_shard_and_what_to_call()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(2, SyncStrategy.ParameterServer, SmallOptions(TransportKind.Tcp),
            parameterServerShards: 1, shardOptimizer: (start, n) => new OffsetMomentumSgd(start, n));
        var members = group.Members.Cast<ParameterServerSync>().ToArray();
        var calls = members.Select(m => m.PushGradientsAsync(new float[8])).ToArray();
        foreach (var call in calls)
        {
            var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => call).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("InitializeParametersAsync", failure.Message);
        }
    }

    [Fact]
    public async Task Ranks_that_send_different_step_scales_fail_the_step_instead_of_diverging()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(2, SyncStrategy.ParameterServer, SmallOptions(TransportKind.Auto),
            parameterServerShards: 2, shardOptimizer: (start, n) => new OffsetMomentumSgd(start, n));
        var members = group.Members.Cast<ParameterServerSync>().ToArray();
        float[][] parameters = [new float[10], new float[10]];
        await Task.WhenAll(members.Select(m => m.InitializeParametersAsync(parameters[m.Rank])));
        await Task.WhenAll(members.Select(m => m.PushGradientsAsync(new float[10])));
        var calls = members.Select(m => m.ApplyOptimizerAsync(m.Rank == 0 ? 0.5 : 0.25, 0.1, parameters[m.Rank])).ToArray();
        foreach (var call in calls)
        {
            var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => call).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("replicas diverged", failure.Message);
        }
    }
}
