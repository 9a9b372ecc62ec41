using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Actors.Settings;

/// <summary>The result of loading the configuration: the effective config (for <c>actortrain config show</c> and for the
/// run directory), the validated settings, and warnings to print (e.g. ignored ACTORTRAIN_* variables).</summary>
/// <param name="Effective">Resolved config: CLI over environment over file over reference.conf.</param>
/// <param name="Settings">Typed, validated settings.</param>
/// <param name="Warnings">Non-fatal problems worth showing to the user.</param>
public sealed record LoadedConfig(Config Effective, ActorTrainSettings Settings, IReadOnlyList<string> Warnings);
