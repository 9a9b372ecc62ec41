using System.Net;
using System.Text;
using ActorTrain.Actors.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Dashboard;

/// <summary>
/// The dashboard's web server (ASP.NET Core minimal APIs on Kestrel): <c>/</c> the page, <c>/dashboard.js</c> and
/// <c>/dashboard.css</c> (embedded in this assembly: no CDN, works offline), <c>/api/state</c> the current document as
/// JSON, and <c>/events</c> a server-sent-event stream that pushes every new document (and a comment line every 15 s
/// so that idle connections stay open).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app) => _app = app;

    /// <summary>Binds <paramref name="endpoint"/> and starts serving <paramref name="feed"/>. Throws
    /// <see cref="IOException"/> when the address is taken.</summary>
    public static async Task<DashboardServer> StartAsync(HttpEndpointSettings endpoint, DashboardFeed feed, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // the node's own log says what matters: the URL, or why it could not bind
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(endpoint.Host), endpoint.Port));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;

        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8"));
        app.MapGet("/api/state", () => Results.Text(feed.Current.Json, "application/json"));
        app.MapGet("/events", async (HttpContext context) =>
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            long version = -1;
            try
            {
                while (!done.IsCancellationRequested)
                {
                    var (next, json) = await feed.NextAsync(version, KeepAlive, done.Token);
                    string message = next > version && next > 0 ? $"data: {json}\n\n" : ": keep-alive\n\n";
                    version = next;
                    await context.Response.WriteAsync(message, Encoding.UTF8, done.Token);
                    await context.Response.Body.FlushAsync(done.Token);
                }
            }
            catch (OperationCanceledException) { } // the page closed, or the node stops
        });
        await app.StartAsync(ct).ConfigureAwait(false);
        return new DashboardServer(app);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await _app.StopAsync().ConfigureAwait(false); }
        finally { await _app.DisposeAsync().ConfigureAwait(false); }
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in {typeof(DashboardServer).Assembly.GetName().Name}");
        return Results.Stream(stream, contentType);
    }
}
