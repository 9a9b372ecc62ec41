using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorTrain.Cli.Tests.Browser;

/// <summary>
/// A headless Chromium driven through chromedriver's W3C WebDriver HTTP protocol (no Selenium): new session, navigate,
/// execute script, screenshot. chromedriver listens on a free 127.0.0.1 port; dispose ends the session and kills the
/// driver and its browser, also when the test failed.
/// </summary>
internal sealed class WebDriverSession : IDisposable
{
    private readonly Process _driver;
    private readonly HttpClient _http;
    private readonly string _session;
    private readonly string _profile;

    private WebDriverSession(Process driver, HttpClient http, string session, string profile)
    {
        _driver = driver;
        _http = http;
        _session = session;
        _profile = profile;
    }

    /// <summary>Starts chromedriver and a headless browser window of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static WebDriverSession Start(int width = 1400, int height = 1000)
    {
        int port = FreePort();
        var driver = Process.Start(new ProcessStartInfo(HeadlessChromium.Driver!, [$"--port={port}", "--allowed-ips=127.0.0.1"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        driver.OutputDataReceived += (_, _) => { };
        driver.ErrorDataReceived += (_, _) => { };
        driver.BeginOutputReadLine();
        driver.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        string profile = Path.Combine(Path.GetTempPath(), "actortrain-chromium-" + Guid.NewGuid().ToString("N"));
        try
        {
            WaitUntilReady(http, driver);
            var capabilities = new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        ["goog:chromeOptions"] = new JsonObject
                        {
                            ["binary"] = HeadlessChromium.Browser,
                            // --no-sandbox: tests run as root in CI containers, where Chromium's sandbox cannot start.
                            ["args"] = new JsonArray("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--no-first-run", $"--user-data-dir={profile}", $"--window-size={width},{height}"),
                        },
                    },
                },
            };
            var created = Send(http, HttpMethod.Post, "session", capabilities);
            string session = created?["sessionId"]?.GetValue<string>() ?? throw new InvalidOperationException($"chromedriver created no session: {created}");
            return new WebDriverSession(driver, http, session, profile);
        }
        catch
        {
            Kill(driver);
            http.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> (returns once the page loaded).</summary>
    public void Navigate(string url) => Send(_http, HttpMethod.Post, $"session/{_session}/url", new JsonObject { ["url"] = url });

    /// <summary>Runs <paramref name="script"/> (a function body; <c>return</c> gives the result) in the page.</summary>
    public JsonNode? Execute(string script) =>
        Send(_http, HttpMethod.Post, $"session/{_session}/execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() });

    /// <summary>A PNG of the window.</summary>
    public byte[] Screenshot() => Convert.FromBase64String(Send(_http, HttpMethod.Get, $"session/{_session}/screenshot", null)!.GetValue<string>());

    public void Dispose()
    {
        try { _http.Send(new HttpRequestMessage(HttpMethod.Delete, $"session/{_session}")).Dispose(); } catch (Exception) { /* the driver may be gone */ }
        Kill(_driver);
        _http.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static JsonNode? Send(HttpClient http, HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        // A sized body (chromedriver does not take chunked requests) and a connection per command.
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        request.Headers.ConnectionClose = true;
        using var response = http.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var value = JsonNode.Parse(text)?["value"];
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"WebDriver {method} /{path} failed ({(int)response.StatusCode}): {value?["error"]}: {value?["message"]}");
        return value;
    }

    private static void WaitUntilReady(HttpClient http, Process driver)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (driver.HasExited) throw new InvalidOperationException($"chromedriver exited with code {driver.ExitCode}");
            try
            {
                using var status = http.GetAsync("status").GetAwaiter().GetResult();
                var ready = JsonNode.Parse(status.Content.ReadAsStringAsync().GetAwaiter().GetResult())?["value"]?["ready"];
                if (ready?.GetValue<bool>() == true) return;
            }
            catch (HttpRequestException) { }
            catch (JsonException) { }
            Thread.Sleep(100);
        }
        throw new TimeoutException("chromedriver did not become ready within 30 s");
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.WaitForExit(5000);
        process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
