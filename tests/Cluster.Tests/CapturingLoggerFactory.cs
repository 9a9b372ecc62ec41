using System.Collections.Concurrent;
using ActorTrain.Cluster.Tests.Kernel;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests;

/// <summary>
/// An ILoggerFactory that keeps every entry in memory, so tests can check what the kernel, remoting and membership
/// logged: by predicate over entries (category, level, exception) or by text fragments at a minimum level.
/// </summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    /// <summary>One log call. <see cref="Text"/> is the message with the exception's type and message appended.</summary>
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public string Text => Exception is null ? Message : $"{Message} | {Exception.GetType().Name}: {Exception.Message}";
    }

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public bool Contains(LogLevel minimum, params string[] fragments) =>
        Entries.Any(e => e.Level >= minimum && fragments.All(f => e.Text.Contains(f, StringComparison.Ordinal)));

    /// <summary>Waits until an entry matching <paramref name="predicate"/> was logged; fails the test otherwise.</summary>
    public Entry WaitFor(Func<Entry, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestProbe.DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            var match = Entries.FirstOrDefault(predicate);
            if (match is not null) return match;
            Thread.Sleep(10);
        }
        throw new Xunit.Sdk.XunitException("Expected log entry was not written. Entries:\n" + Dump());
    }

    /// <summary>Waits until an entry at <paramref name="minimum"/> or above contains every fragment.</summary>
    public async Task<bool> WaitForAsync(LogLevel minimum, TimeSpan timeout, params string[] fragments)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Contains(minimum, fragments)) return true;
            await Task.Delay(10);
        }
        return Contains(minimum, fragments);
    }

    public string Dump() => string.Join('\n', Entries.Select(e => $"{e.Level} {e.Category}: {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
