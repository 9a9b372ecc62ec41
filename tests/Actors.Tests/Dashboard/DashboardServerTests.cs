using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Dashboard;
using ActorTrain.Actors.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Dashboard;

public sealed class DashboardServerTests
{
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    [Fact]
    public async Task The_page_and_its_script_come_from_the_binary_and_every_published_document_reaches_an_open_event_stream()
    {
        var feed = new DashboardFeed();
        var endpoint = new HttpEndpointSettings { Port = FreePort(), Host = "127.0.0.1" };
        await using var server = await DashboardServer.StartAsync(endpoint, feed);
        using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url("/")), Timeout = TimeSpan.FromSeconds(30) };

        string page = await http.GetStringAsync("/");
        Assert.Contains("<script src=\"/dashboard.js\">", page);
        Assert.DoesNotContain("https://", page); // nothing from the internet
        string script = await http.GetStringAsync("/dashboard.js");
        Assert.Contains("new EventSource('/events')", script);
        Assert.Contains("--bg", await http.GetStringAsync("/dashboard.css"));

        feed.Publish("{\"step\":1}");
        Assert.Equal("{\"step\":1}", await http.GetStringAsync("/api/state"));
        using var events = await http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal("data: {\"step\":1}", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
        feed.Publish("{\"step\":2}");
        Assert.Equal("data: {\"step\":2}", await reader.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task A_taken_port_fails_the_start()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var endpoint = new HttpEndpointSettings { Port = ((IPEndPoint)taken.LocalEndpoint).Port, Host = "127.0.0.1" };
            await Assert.ThrowsAsync<IOException>(() => DashboardServer.StartAsync(endpoint, new DashboardFeed()));
        }
        finally { taken.Stop(); }
    }
}
