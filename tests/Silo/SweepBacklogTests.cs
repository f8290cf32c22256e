using System.Net;
using System.Text;
using Cib.Grains.Interfaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.Silo.Tests;

/// <summary>A sweep asked for while the pump is behind waits for it without running into a grain call's timeout.</summary>
public sealed class SweepBacklogTests : IAsyncLifetime
{
    private const int Batches = 20;
    private const int BatchSize = 5_000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cib-sweep-backlog-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Grain calls time out after 200 ms here, far less than the pump needs to apply 100,000 signals.
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = _dir, Urls = "http://127.0.0.1:0", ResponseTimeout = TimeSpan.FromMilliseconds(200) });
        await _app.StartAsync();
        var keys = _app.Services.GetRequiredService<Cib.Silo.Security.ApiKeyStore>();
        _http = new HttpClient { BaseAddress = _app.Address(), Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", (await keys.CreateAsync("tests", Roles.All, "tests")).Key);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task A_sweep_behind_a_backlog_answers_once_every_acknowledged_signal_is_applied()
    {
        var start = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        for (var b = 0; b < Batches; b++)
        {
            var body = new StringBuilder();
            for (var i = 0; i < BatchSize; i++)
            {
                var n = (b * BatchSize) + i;
                var at = start.AddMilliseconds(n * 30L).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                body.Append($$"""{"id":"s{{n}}","account":"a{{n % 2_000}}","kind":"repost","target":"p{{n % 7_000}}","timestamp":"{{at}}"}""").Append('\n');
            }
            using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
            using var ingest = await _http.PostAsync("v1/signals", content);
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        }

        using var sweep = await _http.PostAsync("v1/sweeps", null);
        Assert.True(sweep.StatusCode == HttpStatusCode.OK, $"sweep answered {(int)sweep.StatusCode}: {await sweep.Content.ReadAsStringAsync()}");
        using var status = await _http.GetAsync("v1/status");
        var silo = System.Text.Json.JsonSerializer.Deserialize<SiloStatus>(await status.Content.ReadAsStringAsync(), CibJson.Options)!;
        Assert.Equal(Batches * BatchSize, silo.LogHead);
        Assert.Equal(silo.LogHead, silo.Processed);
    }
}
