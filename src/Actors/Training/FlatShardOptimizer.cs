using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Model.Optim;

namespace ActorTrain.Actors.Training;

/// <summary>A parameter-server shard's optimizer: src/Model's <see cref="IFlatOptimizer"/> over the shard's range.</summary>
internal sealed class FlatShardOptimizer : IShardOptimizer
{
    private readonly IFlatOptimizer _optimizer;

    public FlatShardOptimizer(IFlatOptimizer optimizer)
    {
        _optimizer = optimizer;
        StateBufferNames = [.. optimizer.ExportState().Buffers.Keys.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> StateBufferNames { get; }

    /// <inheritdoc />
    public long StepCount => _optimizer.StepCount;

    /// <inheritdoc />
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate) =>
        _optimizer.Step(parameters, gradients, learningRate);

    /// <inheritdoc />
    public IReadOnlyList<float[]> ExportState()
    {
        var state = _optimizer.ExportState();
        return [.. StateBufferNames.Select(name => state.Buffers[name])];
    }

    /// <inheritdoc />
    public void ImportState(IReadOnlyList<float[]> buffers, long stepCount)
    {
        var named = StateBufferNames.Select((name, i) => (name, buffers[i])).ToDictionary(p => p.name, p => p.Item2, StringComparer.Ordinal);
        _optimizer.ImportState(new OptimizerState(_optimizer.Kind, stepCount, _optimizer.ShardOffset, _optimizer.ShardLength, named));
    }
}
