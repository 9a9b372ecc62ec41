using Xunit;

namespace ActorTrain.Cli.Tests.Partitions;

/// <summary>A fact that is skipped, saying why, where this machine refuses to build network namespaces (not root,
/// <c>ip netns add</c> fails); it never passes without running.</summary>
internal sealed class NamespaceFactAttribute : FactAttribute
{
    public NamespaceFactAttribute()
    {
        if (NetworkNamespaceLab.WhyUnavailable is { } why) Skip = $"network namespaces unavailable here: {why}";
    }
}

/// <summary>A theory skipped like <see cref="NamespaceFactAttribute"/>.</summary>
internal sealed class NamespaceTheoryAttribute : TheoryAttribute
{
    public NamespaceTheoryAttribute()
    {
        if (NetworkNamespaceLab.WhyUnavailable is { } why) Skip = $"network namespaces unavailable here: {why}";
    }
}
