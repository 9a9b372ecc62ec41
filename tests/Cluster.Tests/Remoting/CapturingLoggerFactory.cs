using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests.Remoting;

/// <summary>Collects formatted log lines so tests can check that a reason was logged.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => _lines.ToArray();

    public bool Contains(LogLevel minimum, params string[] fragments) =>
        _lines.Any(l => l.Level >= minimum && fragments.All(f => l.Text.Contains(f, StringComparison.Ordinal)));

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

    public string Dump() => string.Join('\n', _lines.Select(l => $"{l.Level} {l.Category}: {l.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string text = formatter(state, exception);
            if (exception is not null) text += " | " + exception.GetType().Name + ": " + exception.Message;
            owner._lines.Enqueue((logLevel, category, text));
        }
    }
}
