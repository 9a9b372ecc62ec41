using Xunit;

namespace ActorTrain.Model.Tests;

/// <summary>A fact that is skipped, saying why, when /usr/bin/python3 cannot import numpy.</summary>
internal sealed class NumpyFactAttribute : FactAttribute
{
    public NumpyFactAttribute()
    {
        if (ReferencePython.WhyNoNumpy is { } why)
        {
            Skip = $"numpy reference unavailable: {why} (apt-get install python3-numpy)";
        }
    }
}
