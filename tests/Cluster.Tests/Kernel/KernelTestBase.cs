using Xunit;
using ActorTrain.Cluster.Kernel;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests.Kernel;

/// <summary>One actor system per test, with logs collected; terminated after the test.</summary>
public abstract class KernelTestBase : IDisposable
{
    private protected KernelTestBase()
    {
        Logs = new CapturingLoggerFactory();
        System = ActorSystem.Create("test", new ActorSystemOptions { LoggerFactory = Logs });
    }

    private protected ActorSystem System { get; }

    private protected CapturingLoggerFactory Logs { get; }

    private protected static TimeSpan Timeout => TestProbe.DefaultTimeout;

    private protected TestProbe CreateProbe(string? name = null) => new(System, name);

    /// <summary>Polls <paramref name="condition"/> until true or the timeout.</summary>
    private protected static void AwaitCondition(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Timed out waiting for: {what}");
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        System.Terminate().Wait(Timeout);
        GC.SuppressFinalize(this);
    }

    private protected bool LoggedAt(LogLevel level, string fragment) =>
        Logs.Entries.Any(e => e.Level == level && e.Message.Contains(fragment, StringComparison.Ordinal));
}
