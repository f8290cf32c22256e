using System.Net;
using System.Text;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.Silo.Tests;

public sealed class IngestApiTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cib-silo-test-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = _dir, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        var keys = _app.Services.GetRequiredService<Cib.Silo.Security.ApiKeyStore>();
        _http = new HttpClient { BaseAddress = _app.Address() };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", (await keys.CreateAsync("tests", Cib.Grains.Interfaces.Roles.All, "tests")).Key);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private static string Line(string id, string account = "a1", string kind = "repost", string timestamp = "\"2026-01-05T10:00:00Z\"") =>
        $$"""{"id":"{{id}}","account":"{{account}}","kind":"{{kind}}","target":"p1","timestamp":{{timestamp}}}""";

    private async Task<(HttpStatusCode, IngestResult)> PostAsync(params string[] lines)
    {
        using var content = new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson");
        using var response = await _http.PostAsync("v1/signals", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, System.Text.Json.JsonSerializer.Deserialize<IngestResult>(body, CibJson.Options)!);
    }

    [Fact]
    public async Task Invalid_records_are_rejected_one_by_one_and_valid_ones_in_the_batch_are_kept()
    {
        var (status, result) = await PostAsync(Line("s1"), Line("s2", kind: "retweet"), "{not json", Line("s3", timestamp: "\"yesterday\""), Line("s4"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((5, 2, 3), (result.Received, result.Accepted, result.Rejected));
        Assert.Equal([2L, 3L, 4L], result.Rejections.Select(r => r.Position));
        Assert.Equal("kind", result.Rejections[0].Field);
        Assert.Equal("timestamp", result.Rejections[2].Field);
        Assert.Contains("yesterday", result.Rejections[2].Message, StringComparison.Ordinal);
        Assert.Equal(2, result.LogHead);
    }

    [Fact]
    public async Task Resending_a_batch_is_a_no_op()
    {
        var (_, first) = await PostAsync(Line("s1"), Line("s2"));
        var (_, second) = await PostAsync(Line("s1"), Line("s2"), Line("s3"));
        Assert.Equal((2, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((1, 2), (second.Accepted, second.Duplicates));
        Assert.Equal(3, second.LogHead);
    }

    [Fact]
    public async Task A_batch_of_only_bad_records_is_unprocessable()
    {
        var (status, result) = await PostAsync("[]", "{}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(2, result.Rejected);
        Assert.Equal(0, result.LogHead);
    }

    [Fact]
    public async Task Unknown_network_is_404_and_bad_cursor_is_400_with_problem_details()
    {
        using var network = await _http.GetAsync("v1/networks/net-nope");
        Assert.Equal(HttpStatusCode.NotFound, network.StatusCode);
        Assert.Contains("net-nope", await network.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var cursor = await _http.GetAsync("v1/takedowns?after=banana");
        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        Assert.Equal("application/problem+json", cursor.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Acknowledged_signals_are_applied_and_visible_on_the_account()
    {
        await PostAsync(Line("s1", "acct-7"), Line("s2", "acct-7"));
        var client = new Cib.Client.CibClient(_http);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Cib.Grains.Interfaces.AccountView? view = null;
        while (DateTime.UtcNow < deadline && (view = await client.GetAccountAsync("acct-7")) is null)
        {
            await Task.Delay(50);
        }
        Assert.NotNull(view);
        Assert.Equal(2, view.Features.Actions);
    }

    [Fact]
    public async Task Account_counts_sent_with_a_signal_come_back_from_the_stored_history()
    {
        var (status, result) = await PostAsync(Line("s1", "acct-8").Replace("}", ",\"account_followers\":12,\"account_following\":0,\"account_posts\":1000000000000}"),
            Line("s2", "acct-8").Replace("}", ",\"account_posts\":-3}"));
        Assert.Equal((HttpStatusCode.OK, 1), (status, result.Accepted));
        Assert.Equal(("s2", "account_posts"), (result.Rejections.Single().Id, result.Rejections.Single().Field));

        // The history is read from the log's table, so it shows what was made durable.
        var history = System.Text.Json.JsonSerializer.Deserialize<List<Cib.Detection.Signals.Signal>>(
            await _http.GetStringAsync("v1/accounts/acct-8/history"), CibJson.Options)!;
        Assert.Equal(new Cib.Detection.Signals.AccountProfile(null, null, null, 12, 0, 1_000_000_000_000), Assert.Single(history).Profile);
    }
}
