using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Cib.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.Silo.Tests;

public sealed class AccessTests : IAsyncLifetime
{
    /// <summary>Who may call what. A change to any endpoint's roles must change this table too.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["POST /v1/signals"] = [Roles.Ingest],
        ["POST /v1/sweeps"] = [Roles.Admin],
        ["GET /v1/status"] = [.. Roles.All],
        ["GET /v1/me"] = [.. Roles.All],
        ["GET /v1/networks"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/networks/{id}"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/accounts/{id}"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/models/{version}"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/takedowns"] = [Roles.Enforcement, Roles.Admin],
        ["GET /v1/keys"] = [Roles.Admin],
        ["POST /v1/keys"] = [Roles.Admin],
        ["DELETE /v1/keys/{id}"] = [Roles.Admin],
        ["GET /v1/audit"] = [Roles.Admin],
        ["GET /v1/audit/verify"] = [Roles.Admin],
        ["POST /v1/networks/{id}/decisions"] = [Roles.Reviewer],
        ["POST /v1/takedowns/ack"] = [Roles.Enforcement],
        ["POST /v1/takedowns/reversals"] = [Roles.Enforcement, Roles.Reviewer],
        ["PUT /v1/accounts/{id}/labels"] = [Roles.Admin],
        ["POST /v1/exemptions"] = [Roles.Admin],
        ["GET /v1/exemptions"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin, Roles.Enforcement],
        ["GET /v1/reports/transparency"] = [Roles.Admin],
        ["GET /v1/networks/{id}/timeline"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/accounts/{id}/history"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/targets"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/networks/{id}/export"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
        ["GET /v1/graph/export"] = [Roles.Investigator, Roles.Reviewer, Roles.Admin],
    };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cib-access-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private readonly Dictionary<string, string> _keyOfRole = [];

    public async Task InitializeAsync()
    {
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = _dir, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = _app.Address() };
        var keys = _app.Services.GetRequiredService<ApiKeyStore>();
        foreach (var role in Roles.All)
        {
            _keyOfRole[role] = (await keys.CreateAsync($"only-{role}", [role], "tests")).Key;
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private static IEnumerable<(string Route, string Method, string Pattern, IReadOnlyList<string> Roles)> Endpoints(WebApplication app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal))
            .Select(e =>
            {
                var method = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Single();
                return ($"{method} {e.RoutePattern.RawText}", method, e.RoutePattern.RawText!, e.Metadata.GetMetadata<RequiredRoles>()?.Roles ?? []);
            });

    private async Task<HttpResponseMessage> CallAsync(string method, string pattern, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), pattern.TrimStart('/').Replace("{id}", "x", StringComparison.Ordinal));
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }
        request.Content = pattern switch
        {
            "/v1/signals" => new StringContent("""{"id":"s1","account":"a","kind":"like","target":"p","timestamp":"2026-01-05T10:00:00Z"}""", Encoding.UTF8, "application/x-ndjson"),
            "/v1/keys" when method == "POST" => JsonContent.Create(new CreateApiKeyRequest("made-in-test", [Roles.Investigator]), options: CibJson.Options),
            _ => null,
        };
        return await _http.SendAsync(request);
    }

    [Fact]
    public void Every_endpoint_declares_exactly_the_expected_roles()
    {
        var actual = Endpoints(_app).ToDictionary(e => e.Route, e => e.Roles.Order().ToArray());
        Assert.Equal(Expected.Keys.Order(), actual.Keys.Order());
        foreach (var (route, roles) in Expected)
        {
            Assert.True(roles.Order().SequenceEqual(actual[route]), $"{route}: expected {string.Join(",", roles)} got {string.Join(",", actual[route])}");
        }
    }

    [Fact]
    public async Task Each_role_is_allowed_exactly_its_endpoints_and_refused_the_others_with_403()
    {
        foreach (var (route, method, pattern, allowed) in Endpoints(_app))
        {
            foreach (var role in Roles.All)
            {
                using var response = await CallAsync(method, pattern, _keyOfRole[role]);
                if (allowed.Contains(role))
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} on {route} got {(int)response.StatusCode}");
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} on {route} got {(int)response.StatusCode}, expected 403");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Contains(role, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }
        }
    }

    [Theory]
    [InlineData(null, "no API key")]
    [InlineData("garbage", "malformed API key")]
    [InlineData("cib_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "unknown API key")]
    public async Task Requests_without_a_valid_key_get_401_with_a_problem_body(string? key, string reason)
    {
        foreach (var (route, method, pattern, _) in Endpoints(_app))
        {
            using var response = await CallAsync(method, pattern, key);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route} got {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_wrong_secret_for_a_real_key_id_and_a_revoked_key_get_401()
    {
        var investigator = _keyOfRole[Roles.Investigator];
        var forged = investigator[..^4] + "AAAA";
        using (var response = await CallAsync("GET", "/v1/networks", forged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        var admin = new Cib.Client.CibClient(_app.Address(), _keyOfRole[Roles.Admin]);
        var created = await admin.CreateKeyAsync("to-revoke", [Roles.Investigator]);
        using (var ok = await CallAsync("GET", "/v1/networks", created.Key))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        await admin.RevokeKeyAsync(created.Info.Id);
        using var revoked = await CallAsync("GET", "/v1/networks", created.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await admin.ListKeysAsync(), k => k.Id == created.Info.Id && k.RevokedAt is not null);
        var audit = await admin.GetAuditAsync();
        Assert.Contains(audit, e => e.Action == "key.created" && e.Subject == created.Info.Id);
        Assert.Contains(audit, e => e.Action == "key.revoked" && e.Subject == created.Info.Id && e.Actor.Contains("only-admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Key_requests_with_unknown_roles_are_rejected_by_field()
    {
        var admin = new Cib.Client.CibClient(_app.Address(), _keyOfRole[Roles.Admin]);
        var ex = await Assert.ThrowsAsync<Cib.Client.CibApiException>(() => admin.CreateKeyAsync("x", ["superuser"]));
        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Contains("\"roles\"", ex.Message, StringComparison.Ordinal);
    }
}
