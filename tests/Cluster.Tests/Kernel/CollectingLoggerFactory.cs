using Xunit;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests.Kernel;

/// <summary>An ILoggerFactory that keeps every entry in memory, so tests can check what the kernel logged.</summary>
internal sealed class CollectingLoggerFactory : ILoggerFactory
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    /// <summary>Waits until an entry matching <paramref name="predicate"/> was logged.</summary>
    public Entry WaitFor(Func<Entry, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestProbe.DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            var match = Entries.FirstOrDefault(predicate);
            if (match is not null) return match;
            Thread.Sleep(10);
        }
        throw new Xunit.Sdk.XunitException("Expected log entry was not written. Entries:\n" +
            string.Join('\n', Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }

    private sealed class Logger(CollectingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
