using Cib.Grains.Ingest;

namespace Cib.Silo.Api;

/// <summary>
/// Admission control for <c>POST /v1/signals</c>: at most <see cref="SiloSettings.MaxConcurrentIngests"/> requests at once
/// (429 past it) and at most <see cref="SiloSettings.MaxBacklog"/> acknowledged signals waiting for the pump (503 past it);
/// of the admitted, at most <see cref="SiloSettings.IngestParallelism"/> parse and store at once.
/// A refused request is answered before its body is read, so overload costs neither memory nor a database write, and the
/// caller is told when to come back (<c>Retry-After</c>) instead of queueing without bound inside the silo.
/// </summary>
internal sealed class IngestAdmission(SiloSettings settings, SignalLog log, SignalPump pump)
{
    /// <summary>
    /// Retry-After when every ingest slot is taken: a slot frees when a request commits, which takes well under a second
    /// for ordinary batches, so one second (the header's granularity) is the shortest honest wait.
    /// </summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Retry-After when the backlog is over its bound: the pump needs seconds, not milliseconds, to work a large backlog
    /// down, and callers that come back sooner would only be refused again.
    /// </summary>
    public static readonly TimeSpan BacklogRetryAfter = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _work = WorkTurns(settings);

    /// <summary>Turns to parse and store: the setting, at most half the background threads that the work runs on.</summary>
    private static SemaphoreSlim WorkTurns(SiloSettings settings)
    {
        var turns = Math.Clamp(settings.IngestParallelism, 1, Math.Max(1, Cib.Runtime.BackgroundThreads.Count / 2));
        return new SemaphoreSlim(turns, turns);
    }
    private int _active;

    /// <summary>Acknowledged signals not yet applied to the grains.</summary>
    public long Backlog => Math.Max(0, log.Head - pump.Processed);

    /// <summary>Takes an ingest slot, or returns why not (the refusal to send); a taken slot is given back with <see cref="Leave"/>.</summary>
    public IResult? TryEnter(HttpContext http)
    {
        var backlog = Backlog;
        if (backlog > settings.MaxBacklog)
        {
            return Refuse(http, StatusCodes.Status503ServiceUnavailable, BacklogRetryAfter, "ingest backlog full",
                $"{backlog:N0} acknowledged signals are waiting to be applied, more than this silo's bound of {settings.MaxBacklog:N0} (MaxBacklog); " +
                $"nothing in this request was stored: send it again after {BacklogRetryAfter.TotalSeconds:F0} s");
        }
        // Increment first and back out on overshoot, so that racing requests can never all pass the check together.
        if (Interlocked.Increment(ref _active) > settings.MaxConcurrentIngests)
        {
            Interlocked.Decrement(ref _active);
            return Refuse(http, StatusCodes.Status429TooManyRequests, BusyRetryAfter, "too many concurrent ingest requests",
                $"{settings.MaxConcurrentIngests} ingest requests are already in progress, the most this silo handles at once (MaxConcurrentIngests); " +
                $"nothing in this request was stored: send it again after {BusyRetryAfter.TotalSeconds:F0} s");
        }
        return null;
    }

    /// <summary>Gives back a slot taken by <see cref="TryEnter"/>.</summary>
    public void Leave() => Interlocked.Decrement(ref _active);

    /// <summary>
    /// Waits for a turn to parse and store an admitted request's body (see <see cref="SiloSettings.IngestParallelism"/>);
    /// the turn is given back with <see cref="EndWork"/>.
    /// </summary>
    public Task BeginWorkAsync(CancellationToken ct) => _work.WaitAsync(ct);

    /// <summary>Gives back a turn taken by <see cref="BeginWorkAsync"/>.</summary>
    public void EndWork() => _work.Release();

    private static IResult Refuse(HttpContext http, int status, TimeSpan retryAfter, string title, string detail)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(detail: detail, statusCode: status, title: title);
    }
}
