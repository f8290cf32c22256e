namespace Cib.Runtime.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task Timer_ticks_run_as_turns_and_never_overlap_even_when_slower_than_the_period()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("slow");

        // Interleave lets ticks interleave with requests, so only the timer itself keeps ticks from overlapping.
        await grain.Start(periodMs: 10, callbackMs: 80, interleave: true);
        await Wait.Until(() => silo.Probe.Get("tick:slow") >= 4, "four ticks");

        var stats = await grain.Stats();
        Assert.Equal(1, stats.MaxConcurrent);
    }

    [Fact]
    public async Task Timers_stop_at_deactivation()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("stops");
        await grain.Start(periodMs: 10, callbackMs: 0, interleave: false);
        await Wait.Until(() => silo.Probe.Get("tick:stops") >= 2, "two ticks");

        await grain.Deactivate();
        await Task.Delay(100);
        var ticks = silo.Probe.Get("tick:stops");
        await Task.Delay(200);

        Assert.Equal(ticks, silo.Probe.Get("tick:stops"));
    }
}

public sealed class ReminderTests
{
    private static void FastReminders(ISiloBuilder silo) => silo.Configure<ReminderOptions>(o =>
    {
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.MinimumPeriod = TimeSpan.FromMilliseconds(100);
    });

    [Fact]
    public async Task Reminder_fires_and_activates_the_grain()
    {
        await using var silo = await TestSilo.StartInMemoryAsync(s =>
        {
            s.UseInMemoryReminderService();
            FastReminders(s);
        });
        var grain = silo.Grains.GetGrain<IReminderGrain>("r");

        await grain.Register("tick", dueMs: 0, periodMs: 100);
        Assert.True(await grain.Has("tick"));
        await Wait.Until(() => silo.Probe.CountOf("reminder:r:tick") >= 2, "two reminder ticks");

        await grain.Unregister("tick");
        Assert.False(await grain.Has("tick"));
    }

    [Fact]
    public async Task Reminder_period_below_the_minimum_is_rejected()
    {
        await using var silo = await TestSilo.StartInMemoryAsync(s => s.UseInMemoryReminderService());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => silo.Grains.GetGrain<IReminderGrain>("r").Register("x", 0, 1000));
    }

    [Fact]
    public async Task Reminder_fires_after_a_restart_on_the_same_database()
    {
        using var files = new TempDatabase();
        var probe = new Probe();
        await using (var first = await TestSilo.StartAsync(
            s =>
            {
                s.UseSqliteReminderService(files.Open());
                s.Configure<ReminderOptions>(o => o.MinimumPeriod = TimeSpan.FromMilliseconds(100));
            },
            probe: probe))
        {
            // Due long after this silo stops: only the next silo can fire it.
            await first.Grains.GetGrain<IReminderGrain>("restart").Register("sweep", dueMs: 1_500, periodMs: 60_000);
        }

        Assert.False(probe.Has("reminder:restart:sweep"));

        await using var second = await TestSilo.StartAsync(s =>
        {
            s.UseSqliteReminderService(files.Open());
            FastReminders(s);
        });
        await Wait.Until(() => second.Probe.Has("reminder:restart:sweep"), "the reminder after restart");
    }
}
