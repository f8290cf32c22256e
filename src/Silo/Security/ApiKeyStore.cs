using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Silo.Security;

/// <summary>A key that authenticated a request.</summary>
public sealed record Caller(string KeyId, string Name, IReadOnlySet<string> Roles)
{
    /// <summary>How the audit log names this caller: <c>name (key id)</c>.</summary>
    public string AuditName => $"{Name} ({KeyId})";
}

/// <summary>
/// API keys, stored only as hashes. A key reads <c>cib_{id}_{secret}</c>: the id finds the record,
/// the secret is checked against its SHA-256 in constant time. A fast hash is enough because
/// secrets are 256 random bits, not passwords.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly SqliteDatabase _db;
    private readonly ConcurrentDictionary<string, (byte[] Hash, Caller Caller, bool Revoked)> _cache = new(StringComparer.Ordinal);

    /// <summary>Opens the store in <paramref name="db"/>, creating its table on first use.</summary>
    public ApiKeyStore(SqliteDatabase db)
    {
        _db = db;
        _db.Write(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE IF NOT EXISTS api_keys (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  roles TEXT NOT NULL,
                  hash BLOB NOT NULL,
                  created_at INTEGER NOT NULL,
                  created_by TEXT NOT NULL,
                  revoked_at INTEGER);
                """;
            return cmd.ExecuteNonQuery();
        });
    }

    /// <summary>Whether any key exists (the first run creates an admin key).</summary>
    public bool IsEmpty()
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM api_keys";
        return (long)cmd.ExecuteScalar()! == 0;
    }

    /// <summary>Creates a key; the returned secret is not stored anywhere.</summary>
    public async Task<CreatedApiKey> CreateAsync(string name, IReadOnlyList<string> roles, string createdBy, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException($"\"name\" must be 1 to 100 characters (got \"{name}\")", nameof(name));
        }
        var unknown = roles.Where(r => !Roles.IsKnown(r)).ToArray();
        if (roles.Count == 0 || unknown.Length > 0)
        {
            throw new ArgumentException($"\"roles\" must be one or more of {string.Join(", ", Roles.All)} (got {(roles.Count == 0 ? "none" : string.Join(", ", unknown))})", nameof(roles));
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var info = new ApiKeyInfo(id, name, roles.Distinct().Order(StringComparer.Ordinal).ToArray(), DateTimeOffset.UtcNow, createdBy, null);
        await _db.WriteAsync(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO api_keys (id, name, roles, hash, created_at, created_by) VALUES ($id, $name, $roles, $hash, $at, $by)";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$name", name);
            cmd.Parameters.AddWithValue("$roles", string.Join(',', info.Roles));
            cmd.Parameters.AddWithValue("$hash", SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
            cmd.Parameters.AddWithValue("$at", info.CreatedAt.UtcTicks);
            cmd.Parameters.AddWithValue("$by", createdBy);
            return cmd.ExecuteNonQuery();
        }, ct);
        return new CreatedApiKey(info, $"cib_{id}_{secret}");
    }

    /// <summary>Revokes a key; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken ct = default)
    {
        var changed = await _db.WriteAsync(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL";
            cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.UtcTicks);
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery();
        }, ct);
        _cache.TryRemove(id, out _);
        return changed > 0 || List().Any(k => k.Id == id);
    }

    /// <summary>All keys, without secrets.</summary>
    public IReadOnlyList<ApiKeyInfo> List()
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, name, roles, created_at, created_by, revoked_at FROM api_keys ORDER BY created_at";
        using var r = cmd.ExecuteReader();
        var list = new List<ApiKeyInfo>();
        while (r.Read())
        {
            list.Add(new ApiKeyInfo(r.GetString(0), r.GetString(1), r.GetString(2).Split(','), new DateTimeOffset(r.GetInt64(3), TimeSpan.Zero), r.GetString(4),
                r.IsDBNull(5) ? null : new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero)));
        }
        return list;
    }

    /// <summary>The caller a presented key belongs to, or why it does not authenticate.</summary>
    public (Caller? Caller, string? Problem) Authenticate(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return (null, "no API key: send \"Authorization: Bearer <key>\"");
        }
        var parts = presented.Split('_');
        if (parts.Length != 3 || parts[0] != "cib" || parts[1].Length != 12 || parts[2].Length < 20)
        {
            return (null, "malformed API key: keys look like cib_<12 hex>_<secret>");
        }
        if (!_cache.TryGetValue(parts[1], out var record))
        {
            using var c = _db.OpenConnection();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, roles, hash, revoked_at FROM api_keys WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", parts[1]);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return (null, "unknown API key");
            }
            record = ((byte[])r.GetValue(2), new Caller(parts[1], r.GetString(0), r.GetString(1).Split(',').ToHashSet(StringComparer.Ordinal)), !r.IsDBNull(3));
            _cache[parts[1]] = record;
        }
        if (!CryptographicOperations.FixedTimeEquals(record.Hash, SHA256.HashData(Encoding.UTF8.GetBytes(parts[2]))))
        {
            return (null, "unknown API key");
        }
        return record.Revoked ? (null, $"API key {parts[1]} was revoked") : (record.Caller, null);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
