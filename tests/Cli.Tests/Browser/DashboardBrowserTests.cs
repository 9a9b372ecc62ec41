using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ActorTrain.Cli.Tests.MultiProcess;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrain.Cli.Tests.Browser;

[Collection(MultiProcessCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>What the page shows, read from its DOM.</summary>
    private sealed record PageView(int Nodes, string[] Statuses, long Step, int LossPoints, long LossLastStep, int RankBars, bool SameDocument, string Connection)
    {
        public static PageView From(JsonNode? v) => new(
            v!["nodes"]!.GetValue<int>(), v["statuses"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray(),
            long.Parse(v["step"]!.GetValue<string>()), int.Parse(v["lossPoints"]!.GetValue<string>()), long.Parse(v["lossLastStep"]!.GetValue<string>()),
            v["rankBars"]!.GetValue<int>(),
            v["sameDocument"]!.GetValue<bool>(), v["connection"]!.GetValue<string>());
    }

    private const string ReadPage = """
        return {
          nodes: document.querySelectorAll('#nodes tbody tr.node').length,
          statuses: Array.from(document.querySelectorAll('#nodes tbody tr.node')).map(r => r.dataset.status),
          step: document.getElementById('step').textContent,
          lossPoints: document.getElementById('loss-chart').dataset.points,
          lossLastStep: document.getElementById('loss-chart').dataset.lastStep,
          rankBars: document.querySelectorAll('#rank-bars rect.rank-bar').length,
          sameDocument: window.actortrainTestMarker === 42,
          connection: document.getElementById('connection').textContent
        };
        """;

    [ChromiumFact]
    public void The_dashboard_of_a_two_node_simulation_shows_both_nodes_a_loss_curve_and_a_step_counter_that_advance_live_in_headless_chromium()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        int port = FreePort();
        processes.Start("simulate", ["simulate", "--nodes", "2", "--dashboard", port.ToString(),
            .. TinyJob.AsArguments(TinyJob.Sets(Path.Combine(temp.Path, "run"), steps: 100000, saveEvery: 50))]);
        string url = $"http://127.0.0.1:{port}/";
        processes.WaitForLine("simulate", l => l == $"dashboard: {url}",
            TimeSpan.FromSeconds(30), "the dashboard URL");
        WaitForHttp(url, processes);

        using var browser = WebDriverSession.Start();
        browser.Navigate(url);
        browser.Execute("window.actortrainTestMarker = 42;"); // gone if the page ever reloads
        var first = WaitForPage(browser, processes, v => v.Nodes == 2 && v.Statuses.All(s => s == "up") && v.Step > 0 && v.LossPoints > 1 && v.RankBars == 2,
            "both nodes up, a step, a loss curve with > 1 point and both ranks' bars");
        // The curve is thinned past DashboardState.MaxPoints, so its advance is read from its last point's step.
        var later = WaitForPage(browser, processes, v => v.Step > first.Step && v.LossLastStep > first.LossLastStep && v.LossPoints > 1,
            $"the step counter and the loss curve advancing past step {first.Step}");
        Assert.True(later.SameDocument, "the page reloaded: updates must arrive over the event stream");
        Assert.Equal("live", later.Connection);
        output.WriteLine($"first read: step {first.Step}, loss curve {first.LossPoints} points to step {first.LossLastStep}; " +
                         $"later: step {later.Step}, {later.LossPoints} points to step {later.LossLastStep}");

        byte[] png = browser.Screenshot();
        Assert.True(png.Length > 10_000 && png[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "the screenshot is not a PNG");
        string folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "dashboard.png");
        File.WriteAllBytes(path, png);
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"dashboard screenshot: {path}");
    }

    private static PageView WaitForPage(WebDriverSession browser, ActortrainProcesses processes, Func<PageView, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        PageView? last = null;
        while (clock.Elapsed < Patience)
        {
            last = PageView.From(browser.Execute(ReadPage));
            if (done(last)) return last;
            Thread.Sleep(250);
        }
        throw new TimeoutException($"the page did not show {what} within {Patience.TotalSeconds}s; it showed {last}. Output:\n{processes.Output("simulate")}");
    }

    private static void WaitForHttp(string url, ActortrainProcesses processes)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            try
            {
                using var response = http.GetAsync(url).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"{url} did not answer within {Patience.TotalSeconds}s. Output:\n{processes.Output("simulate")}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
