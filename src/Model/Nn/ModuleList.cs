namespace ActorTrain.Model.Nn;

/// <summary>An ordered list of child modules named "0", "1", … (torch.nn.ModuleList).</summary>
public sealed class ModuleList : Module
{
    private readonly List<Module> _items = new();

    /// <summary>Appends <paramref name="module"/> under the next index.</summary>
    public T Add<T>(T module) where T : Module
    {
        RegisterModule(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
        return module;
    }

    /// <summary>Number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    public Module this[int index] => _items[index];
}
