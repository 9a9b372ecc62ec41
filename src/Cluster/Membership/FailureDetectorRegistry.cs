using System.Collections.Concurrent;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// One failure detector per monitored node (Akka's DefaultFailureDetectorRegistry): created on the node's first
/// heartbeat, removed when the node leaves. Thread-safe.
/// </summary>
/// <typeparam name="TKey">How a node is identified, e.g. its address.</typeparam>
public sealed class FailureDetectorRegistry<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, IFailureDetector> _detectors = new();
    private readonly Func<IFailureDetector> _detectorFactory;

    /// <summary>Creates a registry whose detectors come from <paramref name="detectorFactory"/>.</summary>
    public FailureDetectorRegistry(Func<IFailureDetector> detectorFactory)
    {
        ArgumentNullException.ThrowIfNull(detectorFactory);
        _detectorFactory = detectorFactory;
    }

    /// <summary>The nodes currently monitored.</summary>
    public IEnumerable<TKey> MonitoredNodes => _detectors.Keys;

    /// <summary>Records a heartbeat from <paramref name="node"/>, starting to monitor it if needed.</summary>
    public void Heartbeat(TKey node) => _detectors.GetOrAdd(node, static (_, factory) => factory(), _detectorFactory).Heartbeat();

    /// <summary>False only when <paramref name="node"/> is monitored and its detector considers it failed.</summary>
    public bool IsAvailable(TKey node) => !_detectors.TryGetValue(node, out var detector) || detector.IsAvailable;

    /// <summary>True once a heartbeat from <paramref name="node"/> has arrived (and it was not removed since).</summary>
    public bool IsMonitoring(TKey node) => _detectors.TryGetValue(node, out var detector) && detector.IsMonitoring;

    /// <summary>The detector of <paramref name="node"/>, or null when it is not monitored.</summary>
    public IFailureDetector? Get(TKey node) => _detectors.TryGetValue(node, out var detector) ? detector : null;

    /// <summary>Stops monitoring <paramref name="node"/> (e.g. it was removed from the cluster); its history is dropped.</summary>
    public void Remove(TKey node) => _detectors.TryRemove(node, out _);

    /// <summary>Stops monitoring all nodes.</summary>
    public void Reset() => _detectors.Clear();
}
