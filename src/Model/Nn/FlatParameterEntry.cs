namespace ActorTrain.Model.Nn;

/// <summary>Where one parameter lives inside a <see cref="FlatParameters"/> buffer.</summary>
/// <param name="Name">Dotted parameter name (e.g. "blocks.0.qkv.weight").</param>
/// <param name="RegistrationIndex">Position in <see cref="Gpt.NamedParameters"/> (registration order).</param>
/// <param name="Offset">First element in the flat buffers.</param>
/// <param name="Length">Element count.</param>
/// <param name="Shape">The parameter's shape.</param>
public sealed record FlatParameterEntry(string Name, int RegistrationIndex, long Offset, long Length, long[] Shape);
