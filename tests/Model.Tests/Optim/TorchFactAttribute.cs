using Xunit;

namespace ActorTrain.Model.Tests;

/// <summary>A fact that is skipped, saying why, when /usr/bin/python3 cannot import torch.</summary>
internal sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (ReferencePython.WhyNoTorch is { } why)
        {
            Skip = $"torch reference unavailable: {why} (apt-get install python3-torch)";
        }
    }
}
