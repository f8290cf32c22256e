using Cib.Detection.Formats;
using Cib.Detection.Signals;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Grains.Reporting;
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
        // Outermost, so that a store failure anywhere (even reading keys) is a 503, not a 500.
        v1.AddEndpointFilter<StoreFailureFilter>();
        v1.MapPost("/signals", IngestAsync).RequireRoles(Roles.Ingest);
        v1.MapPost("/sweeps", async (IGrainFactory g, SignalLog log, SignalPump pump, CancellationToken ct) =>
        {
            // A sweep covers every acknowledged signal, so it first waits for the pump. Waiting here, on the request, rather
            // than inside the sweep grain's call keeps a large backlog (minutes of signals after a burst of ingest) from
            // running into the grain call's response timeout and answering 500 while the pump is merely behind.
            await pump.WaitForAsync(log.Head, ct);
            return Results.Ok(await g.GetGrain<ISweepGrain>(SweepGrainKeys.Default).SweepAsync());
        }).RequireRoles(Roles.Admin);
        v1.MapGet("/status", async (IGrainFactory g, SignalLog log, SignalPump pump) =>
            Results.Ok(new SiloStatus(log.Head, pump.Processed, await g.GetGrain<ISweepGrain>(SweepGrainKeys.Default).GetLastReportAsync()))).RequireRoles([.. Roles.All]);
        // Who the presented key is, so that the console shows only what its roles allow.
        v1.MapGet("/me", (HttpContext http) => Results.Ok(new KeyIdentity(http.Caller().KeyId, http.Caller().Name, http.Caller().Roles.Order(StringComparer.Ordinal).ToArray())))
            .RequireRoles([.. Roles.All]);
        v1.MapGet("/networks", InvestigatorApi.ListNetworksAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapInvestigatorApi();
        v1.MapGet("/networks/{id}", GetNetworkAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapPost("/networks/{id}/decisions", DecideAsync).RequireRoles(Roles.Reviewer);
        v1.MapPost("/takedowns/ack", AcknowledgeAsync).RequireRoles(Roles.Enforcement);
        v1.MapPost("/takedowns/reversals", ReverseAsync).RequireRoles(Roles.Enforcement, Roles.Reviewer);
        v1.MapPut("/accounts/{id}/labels", SetLabelsAsync).RequireRoles(Roles.Admin);
        v1.MapPost("/exemptions", AddExemptionAsync).RequireRoles(Roles.Admin);
        v1.MapGet("/exemptions", async (IGrainFactory g) => Results.Ok((await Governance(g).GetAsync()).Exemptions)).RequireRoles([.. RoleFilterExtensions.Readers, Roles.Enforcement]);
        v1.MapGet("/reports/transparency", TransparencyAsync).RequireRoles(Roles.Admin);
        v1.MapGet("/models/{version}", GetModelAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/accounts/{id}", GetAccountAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/takedowns", ListTakedownsAsync).RequireRoles(Roles.Enforcement, Roles.Admin);
        v1.MapGet("/keys", (ApiKeyStore keys) => Results.Ok(keys.List())).RequireRoles(Roles.Admin);
        v1.MapPost("/keys", CreateKeyAsync).RequireRoles(Roles.Admin);
        v1.MapDelete("/keys/{id}", RevokeKeyAsync).RequireRoles(Roles.Admin);
        v1.MapGet("/audit", (AuditLog audit, long? after, int? limit) => Results.Ok(audit.Read(after ?? 0, limit ?? 1000))).RequireRoles(Roles.Admin);
        v1.MapGet("/audit/verify", (AuditLog audit) => Results.Ok(audit.Verify())).RequireRoles(Roles.Admin);
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
    }

    private static async Task<IResult> IngestAsync(HttpContext http, SignalLog log, IngestAdmission admission, CancellationToken ct)
    {
        if (admission.TryEnter(http) is { } refusal)
        {
            return refusal;
        }
        try
        {
            return await IngestAdmittedAsync(http.Request, log, admission, ct);
        }
        finally
        {
            admission.Leave();
        }
    }

    private static async Task<IResult> IngestAdmittedAsync(HttpRequest request, SignalLog log, IngestAdmission admission, CancellationToken ct)
    {
        // Sized from Content-Length (already capped by MaxRequestBodyBytes) so a large batch is not copied through doubling buffers.
        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, int.MaxValue));
        // The reader is synchronous; the body is buffered first so Kestrel's no-sync-IO rule
        // holds, and parsed from UTF-8 bytes without a string per line. A slow sender holds no work turn meanwhile.
        await request.Body.CopyToAsync(body, ct);
        body.Position = 0;
        await admission.BeginWorkAsync(ct);
        try
        {
            // Parsing and storing are bulk work: on the background threads (lowered priority, like the calls that apply
            // signals), so that a network query never waits for a core behind a batch. The answer is written on the pool.
            return await BackgroundThreads.Run(() => ParseAndAppend(body, log));
        }
        finally
        {
            admission.EndWork();
        }
    }

    private static IResult ParseAndAppend(MemoryStream body, SignalLog log)
    {
        var signals = new List<Signal>();
        var rejections = new List<IngestRejection>();
        var rejected = 0;
        var received = 0;
        var positions = new List<long>();
        foreach (var r in NdjsonSignalReader.Read(body))
        {
            received++;
            if (r.Signal is { } s)
            {
                signals.Add(s);
                positions.Add(r.Position);
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
        var appended = log.Append(signals);
        foreach (var i in appended.Conflicts)
        {
            rejected++;
            if (rejections.Count < MaxRejectionsListed)
            {
                rejections.Add(new IngestRejection(positions[i], signals[i].Id, "id",
                    $"record {positions[i]} (id \"{signals[i].Id}\"): \"id\" is already stored with different content; the first stored wins (send new content under a new id)"));
            }
        }
        rejections.Sort((a, b) => a.Position.CompareTo(b.Position));
        var result = new IngestResult(received, appended.Accepted, appended.Duplicates, rejected, rejections, log.Head);
        return signals.Count == 0 && rejected > 0
            ? Results.Json(result, CibJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity)
            : Results.Ok(result);
    }

    private static async Task<IResult> GetAccountAsync(string id, IGrainFactory g)
    {
        var features = await g.GetGrain<IAccountGrain>(id).GetFeaturesAsync();
        if (features.Actions == 0)
        {
            return Problem(404, "account not found", $"no signal of account \"{id}\" has been applied");
        }
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        var governance = await Governance(g).GetAsync();
        var network = directory.NetworkOfAccount.GetValueOrDefault(id);
        return Results.Ok(new AccountView(features, network, governance.LabelsOfAccount.GetValueOrDefault(id) ?? [],
            governance.Exemptions.Where(e => e.Account == id || (network is not null && e.NetworkId == network)).ToArray()));
    }

    private static async Task<IResult> ListTakedownsAsync(IGrainFactory g, string? after, int? limit)
    {
        long cursor = 0;
        if (after is not null && (!long.TryParse(after, System.Globalization.CultureInfo.InvariantCulture, out cursor) || cursor < 0))
        {
            return Problem(400, "bad cursor", $"\"after\" must be a non-negative integer cursor from a previous page (got \"{after}\")");
        }
        var page = await g.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default).ReadAsync(cursor, limit ?? 1000);
        var labels = (await Governance(g).GetAsync()).LabelsOfAccount;
        return Results.Ok(page with { Entries = page.Entries.Select(e => e with { Labels = labels.GetValueOrDefault(e.Account) ?? [] }).ToArray() });
    }

    private static IGovernanceGrain Governance(IGrainFactory g) => g.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default);

    // A score's version reads "ens-1:…" or "ens-1:…+sup-1:…" (the anomaly model, then the supervised
    // layer trained on reviews); each part is archived under its own name.
    private static async Task<IResult> GetModelAsync(string version, IGrainFactory g) =>
        await g.GetGrain<IModelArchiveGrain>(version).GetAsync() is { } model
            ? Results.Ok(model)
            : Problem(404, "model not found", $"no model has version \"{version}\"; a score's version names its anomaly model and, after \"+\", its supervised layer: ask for each part");

    private static async Task<IResult> GetNetworkAsync(string id, IGrainFactory g, SignalLog log)
    {
        if (await g.GetGrain<INetworkGrain>(id).GetAsync() is not { } n)
        {
            return Problem(404, "network not found", $"no network has id \"{id}\"");
        }
        var governance = await Governance(g).GetAsync();
        var marks = n.Members
            .Select(m => new AccountMarks(m, governance.LabelsOfAccount.GetValueOrDefault(m) ?? [], governance.Exemptions.Where(e => e.Covers(m, id)).ToArray()))
            .Where(m => m.Labels.Count > 0 || m.Exemptions.Count > 0)
            .ToArray();
        return Results.Ok(n with { Marks = marks, EvidenceTexts = InvestigatorApi.EvidenceTexts(n, log) });
    }

    private static async Task<IResult> DecideAsync(HttpContext http, string id, ReviewRequest request, IGrainFactory g)
    {
        if (await g.GetGrain<INetworkGrain>(id).GetAsync() is null)
        {
            return Problem(404, "network not found", $"no network has id \"{id}\"");
        }
        return await Guard(async () => Results.Ok(await g.GetGrain<INetworkGrain>(id).DecideAsync(request, http.Caller().AuditName)));
    }

    private static Task<IResult> AcknowledgeAsync(HttpContext http, AcknowledgeRequest request, IGrainFactory g) =>
        Guard(async () => Results.Ok(new { acknowledged = await g.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default).AcknowledgeAsync(request, http.Caller().AuditName) }));

    private static async Task<IResult> ReverseAsync(HttpContext http, ReversalRequest request, IGrainFactory g)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problem(400, "invalid reversal", "\"reason\" is required: say why the takedown is reversed (appeal upheld, error, ...)");
        }
        var ledger = g.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        if (!(await ledger.ActionedAsync(request.NetworkId)).Contains(request.Account))
        {
            return Problem(409, "nothing to reverse", $"account \"{request.Account}\" is not actioned in network \"{request.NetworkId}\"");
        }
        var n = await g.GetGrain<INetworkGrain>(request.NetworkId).GetAsync();
        var entry = new TakedownEntry(0, TakedownKinds.Reversal, request.Account, request.NetworkId, TakedownActions.Reinstate, n?.Summary.Score ?? 0, n?.Summary.ModelVersion ?? "none",
            http.Caller().AuditName, "appeal or reinstatement", DateTimeOffset.UtcNow, request.Reason);
        return Results.Ok(new { reversed = await ledger.AppendAsync(new TakedownBatch([entry])) });
    }

    private static Task<IResult> SetLabelsAsync(HttpContext http, string id, LabelRequest request, IGrainFactory g) =>
        Guard(async () => Results.Ok(await Governance(g).SetLabelsAsync(id, request, http.Caller().AuditName)));

    private static Task<IResult> AddExemptionAsync(HttpContext http, ExemptionRequest request, IGrainFactory g) =>
        Guard(async () => Results.Ok(await Governance(g).AddExemptionAsync(request, http.Caller().AuditName)));

    private static async Task<IResult> TransparencyAsync(IGrainFactory g, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is null || to is null || to <= from)
        {
            return Problem(400, "bad period", "give \"from\" and \"to\" as ISO 8601 times with \"to\" after \"from\"");
        }
        var ledger = g.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        var all = new List<TakedownEntry>();
        for (var page = await ledger.ReadAsync(0, 10_000); page.Entries.Count > 0; page = await ledger.ReadAsync(page.NextCursor, 10_000))
        {
            all.AddRange(page.Entries);
        }
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        return Results.Ok(TransparencyReportBuilder.Build(all, await Governance(g).GetAsync(), directory.Networks, from.Value, to.Value));
    }

    /// <summary>Turns validation failures of grain calls into 400s that name the field.</summary>
    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ArgumentException ex)
        {
            return Problem(400, "invalid request", ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return Problem(404, "not found", ex.Message);
        }
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
