using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Tells DDP "parameter i's gradient is complete" during backward, so a bucket's all-reduce starts while backward goes
/// on. TorchSharp has no <c>Tensor.register_hook</c>, so each parameter is passed through an identity autograd function
/// (<see cref="Tap"/>) in forward. Its backward adds the incoming gradient into the parameter's <c>.grad</c> (a view into
/// the flat bucket buffer, see <see cref="FlatParameters"/>) itself and returns no gradient for the parameter, so
/// libtorch's AccumulateGrad does not run — the gradient lands in the bucket exactly once — and then calls
/// <c>onReady(i)</c>. A parameter must be tapped once per forward. The index travels in the autograd context, not on
/// the tensor. Callbacks run on the backward thread; an exception is kept and rethrown by <see cref="ThrowIfFailed"/>.
/// </summary>
public sealed class GradientReadySignal
{
    private readonly Dictionary<Tensor, int> _indexOf = new(ReferenceEqualityComparer.Instance);
    private readonly Tensor[] _parameters;
    private Action<int>? _onReady;
    private Exception? _failure;

    /// <summary>Numbers <paramref name="parameters"/> 0, 1, …; <c>onReady(i)</c> names <paramref name="parameters"/>[i].</summary>
    public GradientReadySignal(IReadOnlyList<Tensor> parameters)
    {
        _parameters = [.. parameters];
        for (var i = 0; i < _parameters.Length; i++) _indexOf.Add(_parameters[i], i);
    }

    /// <summary>The callback for the coming backward passes (null: gradients still accumulate, nobody is told).</summary>
    public void OnReady(Action<int>? onReady) => _onReady = onReady;

    /// <summary>Routes <paramref name="parameter"/> through the signalling identity (when grad mode is on).</summary>
    public Tensor Tap(Parameter parameter)
    {
        if (!is_grad_enabled()) return parameter;
        if (!_indexOf.TryGetValue(parameter, out var index))
            throw new ArgumentException("the parameter is not one this signal was created for", nameof(parameter));
        return ReadyIdentity.apply(parameter, this, index);
    }

    /// <summary>Rethrows the first exception a callback raised, if any (and clears it).</summary>
    public void ThrowIfFailed()
    {
        var failure = Interlocked.Exchange(ref _failure, null);
        if (failure is not null) throw new InvalidOperationException("a gradient-ready callback failed: " + failure.Message, failure);
    }

    private void Accumulate(int index, Tensor gradient)
    {
        using (var grad = _parameters[index].grad)
        {
            if (grad is null) throw new InvalidOperationException($"parameter {index} has no .grad buffer; lay the model out with FlatParameters first");
            grad.add_(gradient);
        }
        try
        {
            _onReady?.Invoke(index);
        }
        catch (Exception e)
        {
            // Exceptions must never unwind into libtorch's autograd engine.
            Interlocked.CompareExchange(ref _failure, e, null);
        }
    }

    private sealed class ReadyIdentity : autograd.SingleTensorFunction<ReadyIdentity>
    {
        public override string Name => "ActorTrainGradientReady";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            ctx.save_data("signal", vars[1]);
            ctx.save_data("index", vars[2]);
            return ((Tensor)vars[0]).view_as((Tensor)vars[0]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            ((GradientReadySignal)ctx.get_data("signal")).Accumulate((int)ctx.get_data("index"), gradOutput);
            // One entry per forward argument (parameter, signal, index); none for the parameter: it is already in its bucket.
            return [null!, null!, null!];
        }
    }
}
