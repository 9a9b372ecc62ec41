namespace ActorTrain.Cluster.MessagePack;

/// <summary>An extension's type code (−128…127; −1 is the timestamp) and its data length in bytes.</summary>
/// <param name="TypeCode">Application-defined type code (negative codes are reserved by the specification).</param>
/// <param name="Length">Number of data bytes that follow the header.</param>
public readonly record struct ExtensionHeader(sbyte TypeCode, int Length);
