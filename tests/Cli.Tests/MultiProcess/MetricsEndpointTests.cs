using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Tests.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed class MetricsEndpointTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public void Every_node_of_a_two_node_simulation_serves_metrics_whose_step_sync_and_byte_counters_advance()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        int basePort = TwoFreePorts();
        processes.Start("simulate", ["simulate", "--nodes", "2", "--transport", "tcp",
            .. TinyJob.AsArguments([.. TinyJob.Sets(Path.Combine(temp.Path, "run"), steps: 100000, saveEvery: 0), $"actortrain.metrics.port={basePort}"])]);
        processes.WaitForLine("simulate", l => l.StartsWith("simulate: node-1: metrics at", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "node-1's metrics URL");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        for (int node = 0; node < 2; node++)
        {
            string url = $"http://127.0.0.1:{basePort + node}/metrics";
            string rank = node.ToString(); // one rank per node
            var first = ScrapeUntil(http, url, processes, s => Value(s, "actortrain_steps_total", rank) >= 1, "a first step");
            var later = ScrapeUntil(http, url, processes, s => Value(s, "actortrain_steps_total", rank) >= Value(first, "actortrain_steps_total", rank) + 3, "three more steps");

            Assert.True(Value(later, "actortrain_sync_wait_seconds_total", rank) > Value(first, "actortrain_sync_wait_seconds_total", rank));
            Assert.True(Value(later, "actortrain_tokens_total", rank) > Value(first, "actortrain_tokens_total", rank));
            Assert.True(Value(later, "actortrain_transport_sent_bytes_total", "tcp") > Value(first, "actortrain_transport_sent_bytes_total", "tcp"));
            Assert.True(Value(later, "actortrain_transport_received_bytes_total", "tcp") > Value(first, "actortrain_transport_received_bytes_total", "tcp"));
            Assert.Equal(0, Value(later, "actortrain_transport_sent_bytes_total", "akka"));
            Assert.Equal(2, Value(later, "actortrain_cluster_members", "up"));
            Assert.Equal(0, Value(later, "actortrain_restarts_total", ""));
            Assert.True(Value(later, "actortrain_tokens_per_second", rank) > 0);
            Assert.DoesNotContain(later, s => s.Label("rank") is { Length: > 0 } r && r != rank); // only this node's ranks
            output.WriteLine($"node-{node}: steps {Value(first, "actortrain_steps_total", rank)} -> {Value(later, "actortrain_steps_total", rank)}, " +
                             $"tcp sent {Value(later, "actortrain_transport_sent_bytes_total", "tcp"):N0} bytes");
        }
        ParseWithPrometheusClient(http, $"http://127.0.0.1:{basePort + 1}/metrics");
        // The loss is rank 0's: only node 0 has it.
        Assert.Contains(Scrape(http, $"http://127.0.0.1:{basePort}/metrics"), s => s.Name == "actortrain_loss");
        Assert.DoesNotContain(Scrape(http, $"http://127.0.0.1:{basePort + 1}/metrics"), s => s.Name == "actortrain_loss");
    }

    [Fact]
    public void A_node_whose_metrics_port_is_taken_fails_at_start_naming_the_key()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var node = processes.Start("node", ["node", "--set", "actortrain.cluster.port=0", "--set", $"actortrain.metrics.port={port}",
                .. TinyJob.AsArguments(TinyJob.Sets(Path.Combine(temp.Path, "run"), steps: 5, saveEvery: 0))]);
            int exit = processes.WaitForExit("node", node, Patience);
            Assert.Equal(1, exit);
            Assert.Contains(processes.Lines("node"), l => l.StartsWith("error: ", StringComparison.Ordinal)
                && l.Contains($"cannot serve Prometheus metrics on 127.0.0.1:{port} (actortrain.metrics.port", StringComparison.Ordinal));
        }
        finally { taken.Stop(); }
    }

    /// <summary>
    /// Also parses a scrape with Prometheus's own Python client parser (Debian's python3-prometheus-client), an
    /// independent reader of the format, where it is installed; says so in the test output where it is not.
    /// </summary>
    private void ParseWithPrometheusClient(HttpClient http, string url)
    {
        const string script = "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as parse\n" +
                              "families = list(parse(sys.stdin.read()))\nprint(sum(len(f.samples) for f in families), sorted(f.name for f in families)[0])";
        var check = new ProcessStartInfo("/usr/bin/python3", ["-c", "import prometheus_client"]) { RedirectStandardError = true };
        using (var probe = Process.Start(check)!)
        {
            probe.WaitForExit();
            if (probe.ExitCode != 0)
            {
                output.WriteLine("python3-prometheus-client is not installed: the scrape was checked by this test's own reader only");
                return;
            }
        }
        string text = http.GetStringAsync(url).GetAwaiter().GetResult();
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        python.StandardInput.Write(text);
        python.StandardInput.Close();
        string stdout = python.StandardOutput.ReadToEnd(), stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"prometheus_client could not parse {url}:\n{stderr}\n{text}");
        output.WriteLine($"prometheus_client parsed {url}: {stdout.Trim()}");
    }

    /// <summary>The value of the one series of <paramref name="name"/> whose rank (or transport, or status) label is <paramref name="label"/>.</summary>
    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, string label) =>
        Assert.Single(samples, s => s.Name == name && (label.Length == 0 || s.Label("rank") == label || s.Label("transport") == label || s.Label("status") == label)).Value;

    private static IReadOnlyList<PrometheusText.Sample> Scrape(HttpClient http, string url)
    {
        using var response = http.GetAsync(url).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        return PrometheusText.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (every scrape must parse); fails with the job's output when it never does.</summary>
    private static IReadOnlyList<PrometheusText.Sample> ScrapeUntil(HttpClient http, string url, ActortrainProcesses processes,
        Func<IReadOnlyList<PrometheusText.Sample>, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        string last = "no answer yet";
        while (clock.Elapsed < Patience)
        {
            try
            {
                var samples = Scrape(http, url);
                if (samples.Any(s => s.Name == "actortrain_steps_total") && done(samples)) return samples;
                last = $"{samples.Count} samples";
            }
            catch (HttpRequestException e) { last = e.Message; }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"{url} did not show {what} within {Patience.TotalSeconds}s (last: {last}). Output:\n{processes.Output("simulate")}");
    }

    /// <summary>A port p with p and p + 1 free (simulate gives node i the metrics port + i).</summary>
    private static int TwoFreePorts()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                if (port >= 65535) continue;
                var second = new TcpListener(IPAddress.Loopback, port + 1);
                try { second.Start(); } catch (SocketException) { continue; }
                second.Stop();
                return port;
            }
            finally { first.Stop(); }
        }
        throw new InvalidOperationException("found no two consecutive free ports on 127.0.0.1");
    }
}
