using static TorchSharp.torch;

namespace ActorTrain.Model.Checkpoints;

/// <summary>A torch <see cref="Generator"/>'s state as plain bytes (torch.Generator.get_state()), for checkpoints.</summary>
public static class GeneratorState
{
    /// <summary>The generator's state bytes.</summary>
    public static byte[] Capture(Generator generator)
    {
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    /// <summary>Restores a state captured by <see cref="Capture"/>.</summary>
    public static void Restore(Generator generator, byte[] state)
    {
        using var bytes = tensor(state, dtype: ScalarType.Byte);
        generator.set_state(bytes);
    }
}
