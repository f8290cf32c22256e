using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cib.Detection.Formats;
using Cib.Detection.Signals;
using Cib.Grains.Interfaces;

namespace Cib.Client;

/// <summary>An error answer from the silo, with its status and problem details.</summary>
public sealed class CibApiException(HttpStatusCode status, string message) : Exception(message)
{
    /// <summary>HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;
}

/// <summary>Typed client of the Cib silo's HTTP API (<c>/v1</c>).</summary>
public sealed class CibClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client for the silo at <paramref name="baseAddress"/>, for example <c>http://127.0.0.1:5080</c>, authenticating with <paramref name="apiKey"/>.</summary>
    public CibClient(Uri baseAddress, string? apiKey = null)
        : this(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) }, ownsHttp: true)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>A client over an existing <see cref="HttpClient"/> with its base address set.</summary>
    public CibClient(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <summary>The silo's address.</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>Sends signals as one NDJSON batch; returns once they are durable.</summary>
    public async Task<IngestResult> IngestAsync(IEnumerable<Signal> signals, CancellationToken ct = default)
    {
        return await IngestNdjsonAsync(NdjsonSignalWriter.ToDocument(signals), ct);
    }

    /// <summary>Sends an NDJSON body as is.</summary>
    public async Task<IngestResult> IngestNdjsonAsync(string ndjson, CancellationToken ct = default)
    {
        using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        using var response = await _http.PostAsync("v1/signals", content, ct);
        // A batch with only bad records answers 422 with the same body: the caller wants the rejections.
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            return (await response.Content.ReadFromJsonAsync<IngestResult>(CibJson.Options, ct))!;
        }
        return await ReadAsync<IngestResult>(response, ct);
    }

    /// <summary>Runs a sweep now.</summary>
    public async Task<SweepReport> SweepAsync(CancellationToken ct = default)
    {
        using var response = await _http.PostAsync("v1/sweeps", null, ct);
        return await ReadAsync<SweepReport>(response, ct);
    }

    /// <summary>The silo's progress.</summary>
    public Task<SiloStatus> GetStatusAsync(CancellationToken ct = default) => GetAsync<SiloStatus>("v1/status", ct);

    /// <summary>Networks, highest score first.</summary>
    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? status = null, double? minScore = null, int limit = 100, CancellationToken ct = default) =>
        ListNetworksAsync(new NetworkFilter { Status = status, MinScore = minScore, Limit = limit }, ct);

    /// <summary>Networks matching <paramref name="filter"/>, highest score first.</summary>
    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(NetworkFilter filter, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<NetworkSummary>>("v1/networks?" + filter.ToQuery(), ct);

    /// <summary>The actions of a network's members over time.</summary>
    public Task<NetworkTimeline> GetTimelineAsync(string networkId, int limit = 5000, CancellationToken ct = default) =>
        GetAsync<NetworkTimeline>($"v1/networks/{Uri.EscapeDataString(networkId)}/timeline?limit={limit}", ct);

    /// <summary>An account's signals, oldest first.</summary>
    public Task<IReadOnlyList<Signal>> GetHistoryAsync(string account, int limit = 1000, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<Signal>>($"v1/accounts/{Uri.EscapeDataString(account)}/history?limit={limit}", ct);

    /// <summary>Networks whose evidence includes a URL, hashtag or post matching <paramref name="query"/>.</summary>
    public Task<IReadOnlyList<TargetHit>> SearchTargetsAsync(string query, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<TargetHit>>($"v1/targets?q={Uri.EscapeDataString(query)}", ct);

    /// <summary>A network (or, with a null id, every network) as GEXF, GraphML or CSV bytes.</summary>
    public async Task<byte[]> ExportAsync(string? networkId, string format, CancellationToken ct = default)
    {
        var path = networkId is null ? $"v1/graph/export?format={format}" : $"v1/networks/{Uri.EscapeDataString(networkId)}/export?format={format}";
        using var response = await _http.GetAsync(path, ct);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, ct);
        }
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>A network with members, top edges and evidence, features, score and explanation; null if unknown.</summary>
    public Task<NetworkSnapshot?> GetNetworkAsync(string id, CancellationToken ct = default) => GetOrNullAsync<NetworkSnapshot>($"v1/networks/{Uri.EscapeDataString(id)}", ct);

    /// <summary>An account's features and network; null if the account never acted.</summary>
    public Task<AccountView?> GetAccountAsync(string id, CancellationToken ct = default) => GetOrNullAsync<AccountView>($"v1/accounts/{Uri.EscapeDataString(id)}", ct);

    /// <summary>Takedown entries after a cursor.</summary>
    public Task<TakedownPage> GetTakedownsAsync(long after = 0, int limit = 1000, CancellationToken ct = default) =>
        GetAsync<TakedownPage>($"v1/takedowns?after={after}&limit={limit}", ct);

    /// <summary>Creates an API key (admin); the returned key is shown only this once.</summary>
    public async Task<CreatedApiKey> CreateKeyAsync(string name, IReadOnlyList<string> roles, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync("v1/keys", new CreateApiKeyRequest(name, roles), CibJson.Options, ct);
        return await ReadAsync<CreatedApiKey>(response, ct);
    }

    /// <summary>All API keys, without secrets (admin).</summary>
    public Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<ApiKeyInfo>>("v1/keys", ct);

    /// <summary>Revokes an API key (admin).</summary>
    public async Task RevokeKeyAsync(string id, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync($"v1/keys/{Uri.EscapeDataString(id)}", ct);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, ct);
        }
    }

    /// <summary>Audit log entries after a position (admin).</summary>
    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(long after = 0, int limit = 1000, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<AuditEntry>>($"v1/audit?after={after}&limit={limit}", ct);

    /// <summary>Verifies the audit log's hash chain (admin).</summary>
    public Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default) => GetAsync<AuditVerification>("v1/audit/verify", ct);

    /// <summary>Records a reviewer's decision on a network (reviewer).</summary>
    public async Task<NetworkSnapshot> DecideAsync(string networkId, ReviewRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync($"v1/networks/{Uri.EscapeDataString(networkId)}/decisions", request, CibJson.Options, ct);
        return await ReadAsync<NetworkSnapshot>(response, ct);
    }

    /// <summary>Acknowledges takedown entries by cursor (enforcement); returns how many were newly acknowledged.</summary>
    public async Task<int> AcknowledgeAsync(IReadOnlyList<long> cursors, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync("v1/takedowns/ack", new AcknowledgeRequest(cursors), CibJson.Options, ct);
        return (await ReadAsync<Dictionary<string, int>>(response, ct))["acknowledged"];
    }

    /// <summary>Reverses an account's takedown in a network (appeal upheld, reinstatement).</summary>
    public async Task ReverseAsync(ReversalRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync("v1/takedowns/reversals", request, CibJson.Options, ct);
        await ReadAsync<Dictionary<string, int>>(response, ct);
    }

    /// <summary>Replaces an account's labels (admin).</summary>
    public async Task<AccountMarks> SetLabelsAsync(string account, LabelRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PutAsJsonAsync($"v1/accounts/{Uri.EscapeDataString(account)}/labels", request, CibJson.Options, ct);
        return await ReadAsync<AccountMarks>(response, ct);
    }

    /// <summary>Records an exemption (admin).</summary>
    public async Task<Exemption> AddExemptionAsync(ExemptionRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync("v1/exemptions", request, CibJson.Options, ct);
        return await ReadAsync<Exemption>(response, ct);
    }

    /// <summary>All exemptions, expired ones included.</summary>
    public Task<IReadOnlyList<Exemption>> ListExemptionsAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<Exemption>>("v1/exemptions", ct);

    /// <summary>The transparency report for [from, to) (admin).</summary>
    public Task<TransparencyReport> GetTransparencyReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        GetAsync<TransparencyReport>($"v1/reports/transparency?from={Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}", ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken ct) where T : class
    {
        using var response = await _http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return await ReadAsync<T>(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            var detail = body;
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("detail", out var d))
                {
                    detail = d.GetString() ?? body;
                }
            }
            catch (JsonException)
            {
            }
            throw new CibApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
        }
        return (await response.Content.ReadFromJsonAsync<T>(CibJson.Options, ct))!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
