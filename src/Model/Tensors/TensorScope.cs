namespace ActorTrain.Model.Tensors;

/// <summary>
/// Frees every tensor created on this thread while the scope is the innermost one, when the scope is disposed —
/// unless the tensor was moved out (<see cref="Tensor.MoveToOuterScope"/>, <see cref="Keep"/>). Scopes nest; they
/// are per thread and must be disposed innermost first.
/// <code>using var scope = TensorScope.Enter(); var loss = …; return scope.Keep(loss);</code>
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly List<Tensor> _tensors = new();
    private bool _disposed;

    private TensorScope(TensorScope? outer) => Outer = outer;

    /// <summary>The enclosing scope, or null.</summary>
    public TensorScope? Outer { get; }

    /// <summary>The innermost scope on this thread, or null.</summary>
    public static TensorScope? Current => t_current;

    /// <summary>Opens a scope nested in the current one.</summary>
    public static TensorScope Enter()
    {
        var scope = new TensorScope(t_current);
        t_current = scope;
        return scope;
    }

    /// <summary>Number of tensors this scope will free.</summary>
    public int Count
    {
        get
        {
            var n = 0;
            foreach (var t in _tensors) if (ReferenceEquals(t.Scope, this)) n++;
            return n;
        }
    }

    /// <summary>Moves <paramref name="tensor"/> to the outer scope (or to the caller, when there is none) and returns it.</summary>
    public Tensor Keep(Tensor tensor)
    {
        if (!ReferenceEquals(tensor.Scope, this))
            throw new InvalidOperationException("the tensor does not belong to this scope");
        return tensor.MoveToOuterScope();
    }

    internal void Track(Tensor tensor)
    {
        tensor.Scope = this;
        _tensors.Add(tensor);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        if (!ReferenceEquals(t_current, this))
            throw new InvalidOperationException(
                "TensorScope disposed out of order (or on another thread): dispose inner scopes first");
        _disposed = true;
        t_current = Outer;
        foreach (var t in _tensors)
        {
            // Tensors moved elsewhere have a different Scope; they are no longer ours to free.
            if (ReferenceEquals(t.Scope, this))
            {
                t.Scope = null;
                t.Dispose();
            }
        }
        _tensors.Clear();
    }
}
