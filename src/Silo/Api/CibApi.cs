using Cib.Detection.Formats;
using Cib.Detection.Signals;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Runtime;
using Cib.Silo.Security;

namespace Cib.Silo.Api;

/// <summary>The HTTP API, <c>/v1</c>.</summary>
internal static class CibApi
{
    /// <summary>Rejections listed in one ingest answer; the rest are counted.</summary>
    private const int MaxRejectionsListed = 100;

    public static void MapCibApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/signals", IngestAsync).RequireRoles(Roles.Ingest);
        v1.MapPost("/sweeps", async (IGrainFactory g) => Results.Ok(await g.GetGrain<ISweepGrain>(SweepGrainKeys.Default).SweepAsync())).RequireRoles(Roles.Admin);
        v1.MapGet("/status", async (IGrainFactory g, SignalLog log, SignalPump pump) =>
            Results.Ok(new SiloStatus(log.Head, pump.Processed, await g.GetGrain<ISweepGrain>(SweepGrainKeys.Default).GetLastReportAsync()))).RequireRoles([.. Roles.All]);
        v1.MapGet("/networks", ListNetworksAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/networks/{id}", async (string id, IGrainFactory g) =>
            await g.GetGrain<INetworkGrain>(id).GetAsync() is { } n ? Results.Ok(n) : Problem(404, "network not found", $"no network has id \"{id}\"")).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/accounts/{id}", GetAccountAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/takedowns", ListTakedownsAsync).RequireRoles(Roles.Enforcement, Roles.Admin);
        v1.MapGet("/keys", (ApiKeyStore keys) => Results.Ok(keys.List())).RequireRoles(Roles.Admin);
        v1.MapPost("/keys", CreateKeyAsync).RequireRoles(Roles.Admin);
        v1.MapDelete("/keys/{id}", RevokeKeyAsync).RequireRoles(Roles.Admin);
        v1.MapGet("/audit", (AuditLog audit, long? after, int? limit) => Results.Ok(audit.Read(after ?? 0, limit ?? 1000))).RequireRoles(Roles.Admin);
        v1.MapGet("/audit/verify", (AuditLog audit) => Results.Ok(audit.Verify())).RequireRoles(Roles.Admin);
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
    }

    private static async Task<IResult> IngestAsync(HttpRequest request, SignalLog log, CancellationToken ct)
    {
        var signals = new List<Signal>();
        var rejections = new List<IngestRejection>();
        var rejected = 0;
        var received = 0;
        using (var body = new MemoryStream())
        {
            // The reader is synchronous; the body is buffered first so Kestrel's no-sync-IO rule
            // holds, and parsed from UTF-8 bytes without a string per line.
            await request.Body.CopyToAsync(body, ct);
            body.Position = 0;
            foreach (var r in NdjsonSignalReader.Read(body))
            {
                received++;
                if (r.Signal is { } s)
                {
                    signals.Add(s);
                }
                else if (r.Error is { } e)
                {
                    rejected++;
                    if (rejections.Count < MaxRejectionsListed)
                    {
                        rejections.Add(new IngestRejection(e.Position, e.RecordId, e.Field, e.ToString()));
                    }
                }
            }
        }
        var appended = await log.AppendAsync(signals, ct);
        var result = new IngestResult(received, appended.Accepted, appended.Duplicates, rejected, rejections, log.Head);
        return signals.Count == 0 && rejected > 0
            ? Results.Json(result, CibJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity)
            : Results.Ok(result);
    }

    private static async Task<IResult> ListNetworksAsync(IGrainFactory g, string? status, double? minScore, int? limit)
    {
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        IEnumerable<NetworkSummary> networks = directory.Networks;
        if (status is not null)
        {
            networks = networks.Where(n => string.Equals(n.Status, status, StringComparison.OrdinalIgnoreCase));
        }
        if (minScore is { } m)
        {
            networks = networks.Where(n => n.Score >= m);
        }
        return Results.Ok(networks.OrderByDescending(n => n.Score).ThenBy(n => n.Id, StringComparer.Ordinal).Take(Math.Clamp(limit ?? 100, 1, 10_000)).ToArray());
    }

    private static async Task<IResult> GetAccountAsync(string id, IGrainFactory g)
    {
        var features = await g.GetGrain<IAccountGrain>(id).GetFeaturesAsync();
        if (features.Actions == 0)
        {
            return Problem(404, "account not found", $"no signal of account \"{id}\" has been applied");
        }
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        return Results.Ok(new AccountView(features, directory.NetworkOfAccount.GetValueOrDefault(id)));
    }

    private static async Task<IResult> ListTakedownsAsync(IGrainFactory g, string? after, int? limit)
    {
        long cursor = 0;
        if (after is not null && (!long.TryParse(after, System.Globalization.CultureInfo.InvariantCulture, out cursor) || cursor < 0))
        {
            return Problem(400, "bad cursor", $"\"after\" must be a non-negative integer cursor from a previous page (got \"{after}\")");
        }
        return Results.Ok(await g.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default).ReadAsync(cursor, limit ?? 1000));
    }

    private static async Task<IResult> CreateKeyAsync(HttpContext http, CreateApiKeyRequest request, ApiKeyStore keys, AuditLog audit, CancellationToken ct)
    {
        CreatedApiKey created;
        try
        {
            created = await keys.CreateAsync(request.Name, request.Roles ?? [], http.Caller().AuditName, ct);
        }
        catch (ArgumentException ex)
        {
            return Problem(400, "invalid key request", ex.Message);
        }
        await audit.AppendAsync(http.Caller().AuditName, "key.created", created.Info.Id, JsonSerializer.Serialize(new { created.Info.Name, created.Info.Roles }), ct);
        return Results.Ok(created);
    }

    private static async Task<IResult> RevokeKeyAsync(HttpContext http, string id, ApiKeyStore keys, AuditLog audit, CancellationToken ct)
    {
        if (!await keys.RevokeAsync(id, ct))
        {
            return Problem(404, "key not found", $"no API key has id \"{id}\"");
        }
        await audit.AppendAsync(http.Caller().AuditName, "key.revoked", id, "{}", ct);
        return Results.NoContent();
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(detail: detail, statusCode: status, title: title);
}
