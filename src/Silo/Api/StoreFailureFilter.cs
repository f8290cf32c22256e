using Microsoft.Data.Sqlite;

namespace Cib.Silo.Api;

/// <summary>
/// Turns storage failures that are the store's condition rather than the request's fault (the database is locked by
/// another process, the disk is full, the file became read-only) into 503 problem answers with <c>Retry-After</c>.
/// A 500 would tell the caller the silo has a bug; 503 tells it that nothing was done and that the same request may be
/// sent again, which is what an ingest client or a reviewer needs to know. Other exceptions pass through.
/// </summary>
internal sealed class StoreFailureFilter : IEndpointFilter
{
    /// <summary>
    /// Retry-After for a store failure: a lock held by a backup or a maintenance query usually clears within seconds,
    /// while a full or read-only disk needs an operator, so callers should not hammer the silo meanwhile.
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (Describe(ex) is { } problem && !context.HttpContext.Response.HasStarted)
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(detail: problem.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: problem.Title);
        }
    }

    /// <summary>The title and detail for a store failure found in <paramref name="ex"/> or its inner exceptions; null for anything else.</summary>
    internal static (string Title, string Detail)? Describe(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite)
            {
                // An ingest batch is one transaction, so for ingest "did not complete" means nothing of it was stored.
                const string nothingDone = "the request did not complete (an ingest batch is stored entirely or not at all); send it again";
                // Primary result codes from https://www.sqlite.org/rescode.html; extended codes keep them in the low byte.
                return (sqlite.SqliteErrorCode & 0xFF) switch
                {
                    5 or 6 => ("store is busy", $"the database is locked by another connection and stayed locked past the busy timeout (StoreBusyTimeout); {nothingDone} after a few seconds"),
                    13 => ("store is full", $"the disk holding the database is full; {nothingDone} once space has been freed"),
                    8 => ("store is read-only", $"the database file or its folder cannot be written (permissions, or a read-only mount); {nothingDone} once it is writable"),
                    _ => null,
                };
            }
        }
        return null;
    }
}
