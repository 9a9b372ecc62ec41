using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

/// <summary>
/// A seeded random generator (libtorch's Philox/MT CPU generator). Every random op takes one explicitly, so runs
/// are reproducible; the state can be saved to bytes and restored for checkpoints. Draws happen on the CPU and are
/// copied to the target device, so a seed yields the same values on every device.
/// </summary>
public sealed class Generator : IDisposable
{
    internal readonly GeneratorHandle Handle;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed) =>
        Handle = new GeneratorHandle(NativeErrors.Check(NativeMethods.atn_generator_new(seed), "generator"));

    /// <summary>Re-seeds the generator.</summary>
    public void Seed(ulong seed) => NativeErrors.Check(NativeMethods.atn_generator_set_seed(Handle, seed), "generator seed");

    /// <summary>The full generator state (opaque bytes, as torch.Generator.get_state()).</summary>
    public byte[] GetState()
    {
        var size = NativeErrors.Check(NativeMethods.atn_generator_get_state(Handle, Span<byte>.Empty, 0), "generator get_state");
        var state = new byte[size];
        NativeErrors.Check(NativeMethods.atn_generator_get_state(Handle, state, state.Length), "generator get_state");
        return state;
    }

    /// <summary>Restores a state produced by <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<byte> state) =>
        NativeErrors.Check(NativeMethods.atn_generator_set_state(Handle, state, state.Length), "generator set_state");

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}
