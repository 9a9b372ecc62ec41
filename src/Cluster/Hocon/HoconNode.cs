namespace ActorTrain.Cluster.Hocon;

/// <summary>A node of a HOCON document: an object, an array, a scalar, or (before resolution) a substitution or concatenation.</summary>
public abstract class HoconNode
{
    /// <summary>Creates a node written at <paramref name="origin"/>.</summary>
    protected HoconNode(HoconOrigin origin) => Origin = origin;

    /// <summary>Where the node was written.</summary>
    public HoconOrigin Origin { get; }

    /// <summary>True when the node (and everything below it) holds no substitution or concatenation left to resolve.</summary>
    public abstract bool IsResolved { get; }

    /// <summary>A deep copy, so that merging never changes a node another Config still holds.</summary>
    public abstract HoconNode DeepClone();

    /// <summary>Short name of the node's kind for error messages ("object", "array", "string", ...).</summary>
    public abstract string KindName { get; }
}
