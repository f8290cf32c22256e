namespace Cib.Detection.Simulation;

/// <summary>An idol, its fans, how likely each fan is to react to a post, and the fandom hashtag.</summary>
internal sealed record Fandom(SimulatedAccount Idol, IReadOnlyList<SimulatedAccount> Fans, IReadOnlyList<double> Devotion, string Tag);
