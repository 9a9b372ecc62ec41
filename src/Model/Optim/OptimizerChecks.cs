namespace ActorTrain.Model.Optim;

/// <summary>Argument checks shared by the flat optimizers.</summary>
internal static class OptimizerChecks
{
    public static void RequireShardSpans(string kind, int shardOffset, int shardLength, int parameterLength, int gradientLength)
    {
        if (parameterLength != shardLength || gradientLength != shardLength)
        {
            throw new ArgumentException(
                $"{kind} owns the shard [{shardOffset}, +{shardLength}) but was given {parameterLength} parameters and {gradientLength} gradients; pass the shard's slices of the flat buffers.");
        }
    }

    public static void RequireMatchingState(OptimizerState state, string kind, int shardOffset, int shardLength, params string[] bufferNames)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != kind)
        {
            throw new ArgumentException($"Cannot load '{state.Kind}' optimizer state into a '{kind}' optimizer.", nameof(state));
        }
        if (state.Offset != shardOffset || state.Length != shardLength)
        {
            throw new ArgumentException(
                $"Optimizer state covers [{state.Offset}, +{state.Length}) but this {kind} shard is [{shardOffset}, +{shardLength}); slice the state with OptimizerState.Slice.", nameof(state));
        }
        foreach (var name in bufferNames)
        {
            if (!state.Buffers.ContainsKey(name))
            {
                throw new ArgumentException($"{kind} optimizer state lacks the buffer '{name}'.", nameof(state));
            }
        }
    }
}
