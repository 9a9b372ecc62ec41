using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>
/// A network component with ordered, named parameters and buffers. Names and order follow PyTorch's
/// named_parameters(): a module's own parameters in registration order, then each child's, depth first,
/// prefixed "child." — so a model's names match the PyTorch state_dict of the same architecture.
/// Parameters and buffers live outside <see cref="TensorScope"/>s; <see cref="Dispose"/> frees them.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = new();
    private readonly List<(string Name, Tensor Tensor)> _buffers = new();
    private readonly List<(string Name, Module Module)> _children = new();
    private readonly List<Tensor> _owned = new();
    private bool _disposed;

    /// <summary>Training mode (dropout active) vs evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Puts this module and every descendant in training mode.</summary>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Puts this module and every descendant in evaluation mode.</summary>
    public Module Eval() => Train(false);

    /// <summary>Registers a trainable tensor (requires grad, owned by this module).</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        CheckName(name);
        parameter.DetachFromScope();
        parameter.RequiresGrad = true;
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a non-trainable tensor saved with the model (e.g. the causal mask).</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        CheckName(name);
        buffer.DetachFromScope();
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Takes ownership of a helper tensor that is neither parameter nor buffer (freed on <see cref="Dispose"/>).</summary>
    protected Tensor RegisterOwned(Tensor tensor)
    {
        tensor.DetachFromScope();
        _owned.Add(tensor);
        return tensor;
    }

    /// <summary>Registers a child; its parameters are named "<paramref name="name"/>.…".</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    /// <summary>
    /// Registers a child whose parameters and buffers are named as this module's own (no prefix), e.g. the
    /// attention sub-layer of a block whose PyTorch reference holds qkv/proj directly.
    /// </summary>
    protected T RegisterInlined<T>(T module) where T : Module
    {
        _children.Add(("", module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid member name (non-empty, no dots)", nameof(name));
    }

    /// <summary>Direct children with their names ("" for inlined ones).</summary>
    public IReadOnlyList<(string Name, Module Module)> Children => _children;

    /// <summary>All parameters with their dotted names, in PyTorch order.</summary>
    public IReadOnlyList<(string Name, Tensor Parameter)> NamedParameters()
    {
        var result = new List<(string, Tensor)>();
        Collect(this, "", result, buffers: false);
        return result;
    }

    /// <summary>All parameters in PyTorch order.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter).ToList();

    /// <summary>All buffers with their dotted names.</summary>
    public IReadOnlyList<(string Name, Tensor Buffer)> NamedBuffers()
    {
        var result = new List<(string, Tensor)>();
        Collect(this, "", result, buffers: true);
        return result;
    }

    /// <summary>Every module in the tree (this first), depth first.</summary>
    public IEnumerable<Module> Modules()
    {
        yield return this;
        foreach (var (_, child) in _children)
            foreach (var m in child.Modules())
                yield return m;
    }

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount() => NamedParameters().Sum(p => p.Parameter.NumEl);

    private static void Collect(Module module, string prefix, List<(string, Tensor)> into, bool buffers)
    {
        foreach (var (name, t) in buffers ? module._buffers : module._parameters) into.Add((prefix + name, t));
        foreach (var (name, child) in module._children)
            Collect(child, name.Length == 0 ? prefix : prefix + name + ".", into, buffers);
    }

    /// <summary>Sets every parameter's gradient to zero in place (gradients stay defined, so bucket views survive).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters())
        {
            using var g = p.Grad;
            g?.ZeroInPlace();
        }
    }

    /// <summary>Frees parameters and buffers of this module and its children.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, t) in _parameters) t.Dispose();
        foreach (var (_, t) in _buffers) t.Dispose();
        foreach (var t in _owned) t.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}
