using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Tensors;

public sealed class ThreadSettingTests
{
    /// <summary>
    /// at::set_num_threads alone leaves Debian's OpenBLAS (its own pthreads) at one thread per core, so a "1 thread"
    /// rank or benchmark silently computed its matrix products on every core.
    /// </summary>
    [Fact]
    public void Setting_intra_op_threads_also_sets_the_openblas_threads_of_libtorchs_blas()
    {
        var before = Torch.NumThreads;
        try
        {
            Torch.NumThreads = 1;
            Assert.Equal(1, Torch.NumThreads);
            Assert.True(Torch.BlasThreads is not null, "libtorch's BLAS here is expected to be OpenBLAS (apt-get install libopenblas0-pthread)");
            Assert.Equal(1, Torch.BlasThreads);
            if (Environment.ProcessorCount >= 2)
            {
                Torch.NumThreads = 2;
                Assert.Equal(2, Torch.BlasThreads);
            }
        }
        finally
        {
            Torch.NumThreads = before;
        }
    }
}
