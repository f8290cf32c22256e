using System.Text.Json;
using Cib.Detection.Networks;
using Cib.Detection.Simulation;
using Cib.Grains.Interfaces;

namespace Cib.Console.Tests;

/// <summary>
/// One silo for the browser tests, seeded as people would find it: a simulated day with planted campaigns ingested
/// over HTTP, a small group posting markup as text, a sweep; a labelled and an exempted member in the top network;
/// and one key per role that the console is logged in with.
/// </summary>
public sealed class ConsoleSilo() : SiloFixture("console")
{
    /// <summary>The markup the hostile group posts: were it run, it would set <c>window.__cibInjected</c>.</summary>
    public const string HostileMarkup = "<img src=x onerror=\"window.__cibInjected=1\">";

    public Dictionary<string, string> KeyOf { get; } = [];

    /// <summary>The highest-scoring planted network, with a labelled and an exempted member.</summary>
    public NetworkSnapshot Top { get; private set; } = null!;

    /// <summary>A network below the takedown threshold: nothing of it is listed until a reviewer confirms it.</summary>
    public string Unlisted { get; private set; } = null!;

    public string Labelled { get; private set; } = null!;

    public string Exempted { get; private set; } = null!;

    /// <summary>The network of the accounts that post markup.</summary>
    public string HostileNetwork { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        // The model lists nothing by itself here (a score of exactly 1 is needed): every takedown is a reviewer's, so the
        // test sees the list change when the reviewer confirms (an account already listed is not listed twice).
        await StartAsync(o =>
        {
            o.SweepPeriod = TimeSpan.FromHours(1);
            o.Detection = new DetectionOptions { TakedownThreshold = 1.0 };
        });
        foreach (var role in Roles.All)
        {
            KeyOf[role] = await KeyAsync($"console {role}", [role]);
        }

        var sim = PlatformSimulator.Run(new SimulationOptions { OrganicAccounts = 1500 });
        for (var i = 0; i < sim.Signals.Count; i += 5000)
        {
            Assert.Equal(0, (await Api.IngestAsync(sim.Signals.Skip(i).Take(5000))).Rejected);
        }
        Assert.Equal(0, (await Api.IngestNdjsonAsync(HostileDay(sim.Signals[0].Timestamp))).Rejected);
        await Api.SweepAsync();

        var networks = await Api.ListNetworksAsync(status: NetworkStatus.Active, limit: 1000);
        HostileNetwork = (await Api.GetAccountAsync("hostile0"))?.NetworkId ?? throw new InvalidOperationException("the hostile group formed no network");
        var top = networks.First(n => n.Id != HostileNetwork && n.Size >= 5);
        var members = (await Api.GetNetworkAsync(top.Id))!.Members;
        (Labelled, Exempted) = (members[0], members[1]);
        await Api.SetLabelsAsync(Labelled, new LabelRequest([AccountLabels.StateControlledMedia], "registered state broadcaster"));
        await Api.AddExemptionAsync(new ExemptionRequest(Exempted, null, "court order pending review", "legal team", DateTimeOffset.UtcNow.AddDays(30)));
        Top = (await Api.GetNetworkAsync(top.Id))!;
        // A confirmation lists only accounts not listed yet, so the reviewer confirms a network below the takedown threshold.
        Unlisted = networks.FirstOrDefault(n => !n.AboveTakedownThreshold && n.Id != HostileNetwork)?.Id
            ?? throw new InvalidOperationException($"every network is above the takedown threshold: {string.Join(", ", networks.Select(n => $"{n.Id} {n.Score:R}"))}");
    }

    /// <summary>Five accounts post the same markup, within seconds of each other, once an hour for six hours.</summary>
    private static string HostileDay(DateTimeOffset start) => string.Join('\n',
        Enumerable.Range(0, 6).SelectMany(hour => Enumerable.Range(0, 5).Select(a => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = $"hostile-{hour}-{a}",
            ["account"] = $"hostile{a}",
            ["kind"] = "post",
            ["target"] = $"hostile-post-{hour}-{a}",
            ["timestamp"] = start.AddHours(hour).AddSeconds(20 * a).ToString("O"),
            ["text"] = $"{HostileMarkup} claim number {hour}",
        }))));
}
