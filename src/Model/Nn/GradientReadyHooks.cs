using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ActorTrain.Model.Native;
using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Calls <c>onReady(index)</c> right after autograd has accumulated the gradient of parameter <c>index</c> (into its
/// .grad, e.g. a flat-bucket view), on the thread running backward — the signal DDP uses to start syncing a bucket
/// while backward continues. The callback must be quick and must not throw; an exception is captured and rethrown
/// by <see cref="ThrowIfFailed"/>.
/// </summary>
public sealed class GradientReadyHooks : IDisposable
{
    private static readonly ConcurrentDictionary<long, GradientReadyHooks> Registry = new();
    private static long s_nextId;

    private readonly Action<int> _onReady;
    private readonly IntPtr[] _nativeHooks;
    private readonly long _id;
    private Exception? _failure;

    /// <summary>Registers one hook per parameter; index i refers to <paramref name="parameters"/>[i].</summary>
    public unsafe GradientReadyHooks(IReadOnlyList<Tensor> parameters, Action<int> onReady)
    {
        if (parameters.Count >= 1 << 20) throw new ArgumentException("too many parameters", nameof(parameters));
        _onReady = onReady;
        _id = Interlocked.Increment(ref s_nextId);
        Registry[_id] = this;
        _nativeHooks = new IntPtr[parameters.Count];
        try
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                var tag = (_id << 20) | (long)i;
                _nativeHooks[i] = NativeErrors.Check(
                    NativeMethods.atn_register_grad_ready_hook(parameters[i].Handle, &OnGradReady, tag), "register grad hook");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Rethrows the first exception a callback raised, if any (and clears it).</summary>
    public void ThrowIfFailed()
    {
        var failure = Interlocked.Exchange(ref _failure, null);
        if (failure is not null) throw new InvalidOperationException("a gradient-ready callback failed: " + failure.Message, failure);
    }

    [UnmanagedCallersOnly]
    private static void OnGradReady(long tag)
    {
        // Exceptions must never unwind into libtorch's autograd engine.
        if (!Registry.TryGetValue(tag >> 20, out var hooks)) return;
        try
        {
            hooks._onReady((int)(tag & ((1 << 20) - 1)));
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref hooks._failure, e, null);
        }
    }

    /// <summary>Removes every hook.</summary>
    public void Dispose()
    {
        for (var i = 0; i < _nativeHooks.Length; i++)
        {
            if (_nativeHooks[i] != IntPtr.Zero) NativeMethods.atn_hook_free(_nativeHooks[i]);
            _nativeHooks[i] = IntPtr.Zero;
        }
        Registry.TryRemove(_id, out _);
    }
}
