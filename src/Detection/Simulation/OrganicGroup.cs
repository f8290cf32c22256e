namespace Cib.Detection.Simulation;

/// <summary>Ground truth of one organic look-alike: accounts that act together for authentic reasons.</summary>
/// <param name="Id">Stable id: "viral-1", "fans-1", "news-1", ...</param>
/// <param name="Kind">Which kind of organic event.</param>
/// <param name="Accounts">Participants; the first is the author of the viral post, the idol, or the
/// news outlet.</param>
/// <param name="Targets">The viral post id; the idol's post ids; the news URL (without tracking
/// parameters).</param>
public sealed record OrganicGroup(string Id, OrganicEventKind Kind, IReadOnlyList<string> Accounts, IReadOnlyList<string> Targets);
