using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Dashboard;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Tests.MultiProcess;
using Xunit;

namespace ActorTrain.Cli.Tests.Browser;

/// <summary>The page's own logic in headless Chromium, fed documents through the real server and event stream.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class DashboardPageTests
{
    private static string Document(params (int Rank, double StepSeconds, double SyncWaitSeconds)[] ranks) =>
        "{\"phase\":\"running\",\"coordinator\":\"a\",\"step\":7,\"totalSteps\":10,\"elapsedSeconds\":1,\"nodes\":[]," +
        "\"ranks\":[" + string.Join(",", ranks.Select(r => FormattableString.Invariant(
            $"{{\"rank\":{r.Rank},\"node\":\"a\",\"step\":7,\"stepSeconds\":{r.StepSeconds},\"syncWaitSeconds\":{r.SyncWaitSeconds},\"tokensPerSecond\":1}}"))) + "]," +
        "\"loss\":[[1,2.0],[7,1.0]],\"throughput\":[],\"validationLoss\":[],\"warnings\":[{\"time\":\"2026-01-01T00:00:00Z\",\"text\":\"node b is unreachable\"}]," +
        "\"lastCheckpoint\":{\"step\":5,\"path\":\"/runs/x/step-000005\"},\"updated\":\"2026-01-01T00:00:00Z\"}";

    [ChromiumFact]
    public async Task The_rank_that_works_longest_is_marked_slow_only_when_it_clearly_works_longer_and_warnings_and_the_checkpoint_show()
    {
        var feed = new DashboardFeed();
        var endpoint = new HttpEndpointSettings { Port = FreePort(), Host = "127.0.0.1" };
        await using var server = await DashboardServer.StartAsync(endpoint, feed);
        using var browser = WebDriverSession.Start();
        // Every step lasts ~100 ms; ranks 0 and 2 wait 60 ms of it for rank 1, which works 90 ms.
        feed.Publish(Document((0, 0.100, 0.060), (1, 0.100, 0.010), (2, 0.101, 0.060)));
        browser.Navigate(endpoint.Url("/"));
        Assert.Equal("1", WaitFor(browser, "var s = document.querySelectorAll('#rank-bars rect.slow'); return s.length === 1 ? s[0].dataset.rank : null;"));
        Assert.Contains("node b is unreachable", WaitFor(browser, "return document.getElementById('warnings').textContent;"));
        Assert.Equal("step 5: /runs/x/step-000005", WaitFor(browser, "return document.getElementById('checkpoint').textContent;"));

        // Equal work: nobody is marked.
        feed.Publish(Document((0, 0.100, 0.030), (1, 0.100, 0.025), (2, 0.101, 0.030)));
        Assert.Equal("3 bars, 0 slow", WaitFor(browser,
            "var b = document.querySelectorAll('#rank-bars rect.rank-bar').length, s = document.querySelectorAll('#rank-bars rect.slow').length;" +
            "return b === 3 && s === 0 ? b + ' bars, ' + s + ' slow' : null;"));
    }

    private static string WaitFor(WebDriverSession browser, string script)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (browser.Execute(script)?.GetValue<string>() is { } value) return value;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"the page never satisfied: {script}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
