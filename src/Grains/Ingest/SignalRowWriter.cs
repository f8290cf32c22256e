using Cib.Detection.Signals;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cib.Grains.Ingest;

/// <summary>
/// Inserts rows into the signal log's table through SQLite's C API, inside a transaction already open on the connection:
/// one statement prepared per batch, its parameters bound by position. Not through <see cref="SqliteCommand"/>, which
/// looks each parameter up by name and binds it through a parameter object on every execution: at thousands of rows per
/// batch that cost as much as the inserts themselves.
/// </summary>
internal sealed class SignalRowWriter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;

    /// <summary>Prepares <paramref name="insertSql"/>, whose 14 parameters are the log's columns in order.</summary>
    public SignalRowWriter(SqliteConnection connection, string insertSql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, insertSql, out _insert), _db);
    }

    /// <summary>Inserts <paramref name="s"/> as row <paramref name="seq"/>; throws <see cref="SqliteException"/> when SQLite refuses.</summary>
    public void Insert(long seq, Signal s)
    {
        Bind(raw.sqlite3_bind_int64(_insert, 1, seq));
        Text(2, s.Id);
        Text(3, s.Account);
        Bind(raw.sqlite3_bind_int(_insert, 4, (int)s.Kind));
        Text(5, s.Target);
        Bind(raw.sqlite3_bind_int64(_insert, 6, s.Timestamp.UtcTicks));
        Text(7, s.Text);
        Text(8, s.Fingerprint);
        Bind(s.Profile?.CreatedAt is { } created ? raw.sqlite3_bind_int64(_insert, 9, created.UtcTicks) : raw.sqlite3_bind_null(_insert, 9));
        Text(10, s.Profile?.Handle);
        Text(11, s.Profile?.DisplayName);
        Integer(12, s.Profile?.Followers);
        Integer(13, s.Profile?.Following);
        Integer(14, s.Profile?.Posts);
        var rc = raw.sqlite3_step(_insert);
        raw.sqlite3_reset(_insert);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Text(int index, string? value) =>
        Bind(value is null ? raw.sqlite3_bind_null(_insert, index) : raw.sqlite3_bind_text(_insert, index, value));

    private void Integer(int index, long? value) =>
        Bind(value is { } n ? raw.sqlite3_bind_int64(_insert, index, n) : raw.sqlite3_bind_null(_insert, index));

    private void Bind(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose() => _insert.Dispose();
}
