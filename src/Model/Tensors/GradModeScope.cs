using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

/// <summary>
/// Restores the calling thread's previous grad mode when disposed. Grad mode is per thread (as in libtorch):
/// dispose on the thread that created it, and do not await inside the scope.
/// </summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled) => _previous = NativeMethods.atn_set_grad_enabled(enabled ? 1 : 0) != 0;

    /// <inheritdoc />
    public void Dispose() => NativeMethods.atn_set_grad_enabled(_previous ? 1 : 0);
}
