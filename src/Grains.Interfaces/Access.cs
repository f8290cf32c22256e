namespace Cib.Grains.Interfaces;

/// <summary>The roles an API key can hold. Each endpoint names the roles that may call it.</summary>
public static class Roles
{
    /// <summary>Send signals.</summary>
    public const string Ingest = "ingest";

    /// <summary>Read networks, accounts, evidence, exports.</summary>
    public const string Investigator = "investigator";

    /// <summary>Read, and confirm, dismiss or escalate networks.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Pull and acknowledge the takedown list; record appeals.</summary>
    public const string Enforcement = "enforcement";

    /// <summary>Manage keys, labels and exemptions; verify the audit log; write reports.</summary>
    public const string Admin = "admin";

    /// <summary>Every role.</summary>
    public static readonly IReadOnlyList<string> All = [Ingest, Investigator, Reviewer, Enforcement, Admin];

    /// <summary>Whether <paramref name="role"/> is a known role.</summary>
    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>The key that made a request, as <c>GET /v1/me</c> answers: its id, name and roles.</summary>
public sealed record KeyIdentity(string KeyId, string Name, IReadOnlyList<string> Roles);

/// <summary>A newly created key: <paramref name="Key"/> is shown once and stored only as a hash.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>Request to create a key.</summary>
public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Roles);

/// <summary>One entry of the tamper-evident audit log.</summary>
/// <param name="Seq">Position, from 1, without gaps.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who: a key's name and id, or <c>system</c>, or <c>model:VERSION</c>.</param>
/// <param name="Action">What, for example <c>key.created</c> or <c>network.confirmed</c>.</param>
/// <param name="Subject">On what: a key id, network id or account id.</param>
/// <param name="Details">JSON details.</param>
/// <param name="PreviousHash">Hash of the entry before (64 zeros for the first).</param>
/// <param name="Hash">SHA-256 over this entry's fields and <paramref name="PreviousHash"/>.</param>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, string Details, string PreviousHash, string Hash);

/// <summary>The result of verifying the audit log.</summary>
/// <param name="Ok">True when every entry's hash, link and position check out and nothing is missing at the end.</param>
/// <param name="Entries">Entries checked.</param>
/// <param name="FirstBadSeq">The first entry that fails, when not ok.</param>
/// <param name="Problem">What failed, for people.</param>
public sealed record AuditVerification(bool Ok, long Entries, long? FirstBadSeq, string? Problem);
