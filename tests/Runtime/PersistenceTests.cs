using Microsoft.Extensions.DependencyInjection;

namespace Cib.Runtime.Tests;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Deactivation_does_not_save_state_implicitly()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("unsaved");
        await grain.Increment();
        await grain.SetWithoutSaving(99);
        Assert.Equal(99, await grain.Get());

        await grain.Deactivate();
        await Wait.Until(() => silo.Probe.Has("deactivate:unsaved:ApplicationRequested"), "deactivation");

        Assert.Equal(1, await grain.Get());
        Assert.Equal(2, silo.Probe.Get("activate:unsaved"));
    }

    [Fact]
    public async Task Etag_conflict_deactivates_and_the_next_call_reloads_state()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("conflict");
        await grain.Increment();
        var before = await grain.GetActivationId();

        // Another writer changes the record behind the activation's back.
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DefaultStorageProviderName);
        var external = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", new GrainId("counter", "conflict"), external);
        external.State.Value = 50;
        await storage.WriteStateAsync("counter", new GrainId("counter", "conflict"), external);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Increment());

        Assert.Equal(50, await grain.Get());
        Assert.NotEqual(before, await grain.GetActivationId());
        Assert.Equal(51, await grain.Increment());
    }

    [Fact]
    public async Task Idle_activations_are_collected_and_reactivate_with_state_reread()
    {
        await using var silo = await TestSilo.StartInMemoryAsync(s => s.Configure<SiloOptions>(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(200);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(50);
        }));
        var grain = silo.Grains.GetGrain<ICounterGrain>("idle");
        await grain.Increment();
        await grain.SetWithoutSaving(77);

        await Wait.Until(() => silo.Probe.Has("deactivate:idle:ActivationIdle"), "idle collection");

        Assert.Equal(1, await grain.Get());
        Assert.Equal(2, silo.Probe.Get("activate:idle"));
    }

    [Fact]
    public async Task An_activation_with_a_running_request_is_not_collected()
    {
        await using var silo = await TestSilo.StartInMemoryAsync(s => s.Configure<SiloOptions>(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(50);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(10);
        }));
        var grain = silo.Grains.GetGrain<IInterleaveGrain>("busy");
        var running = grain.WaitForGate();
        try
        {
            await Task.Delay(300);
            Assert.False(silo.Probe.Has("deactivate:busy"), "an activation must not be collected while it runs a request");
        }
        finally
        {
            silo.Probe.Gate.TrySetResult();
        }

        await running;
        await Wait.Until(() => silo.Probe.Has("deactivate:busy"), "collection once idle");
    }

    [Fact]
    public async Task State_survives_deactivation_and_a_silo_restart_on_the_same_file()
    {
        using var files = new TempDatabase();
        await using (var first = await TestSilo.StartAsync(s => s.AddSqliteGrainStorage(ProviderConstants.DefaultStorageProviderName, files.Open())))
        {
            var grain = first.Grains.GetGrain<ICounterGrain>("durable");
            await grain.Increment();
            await grain.Deactivate();
            await Wait.Until(() => first.Probe.Has("deactivate:durable:ApplicationRequested"), "deactivation");
            Assert.Equal(2, await grain.Increment());
        }

        await using var second = await TestSilo.StartAsync(s => s.AddSqliteGrainStorage(ProviderConstants.DefaultStorageProviderName, files.Open()));
        Assert.Equal(2, await second.Grains.GetGrain<ICounterGrain>("durable").Get());
    }

    [Fact]
    public async Task Cleared_state_reads_as_new()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("cleared");
        await grain.Increment();
        await grain.Clear();

        Assert.Equal(0, await grain.Get());
        Assert.Equal(1, await grain.Increment());
    }
}
