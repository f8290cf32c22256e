using Cib.Detection.CoActivity;
using Cib.Detection.Evaluation;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Simulation;
using Xunit.Abstractions;

namespace Cib.Detection.Tests.Pipeline;

public class InProcessPipelineTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    public void Planted_campaigns_are_found_and_organic_crowds_are_not(int seed)
    {
        var sim = PlatformSimulator.Run(new SimulationOptions { Seed = seed });
        var detection = new DetectionOptions();
        var result = InProcessPipeline.Run(sim.Signals, new CoActivityOptions(), detection);
        foreach (var n in result.Analysis.Networks)
        {
            var truth = n.Cluster.Members.GroupBy(m => sim.CampaignOf(m) ?? "organic").OrderByDescending(g => g.Count()).First();
            output.WriteLine($"{n.Id} size {n.Cluster.Members.Count} score {n.Score.Score:F3} z {n.Score.RobustZ:F1} truth {truth.Key} {truth.Count()} :: " +
                string.Join(" ", NetworkFeatures.Names.Select((f, i) => $"{f}={n.Cluster.Features[i]:G3}")));
        }
        var flagged = result.Analysis.Networks.Where(n => n.Score.Score >= detection.TakedownThreshold).SelectMany(n => n.Cluster.Members);
        var metrics = AccountMetrics.Compute(flagged, sim.Campaigns.SelectMany(c => c.Accounts), sim.Accounts);
        output.WriteLine($"{metrics} P={metrics.Precision:F3} R={metrics.Recall:F3} reference={result.Analysis.ReferenceGroups}");
        Assert.True(metrics.Precision >= 0.9, $"precision {metrics.Precision:F3}");
        Assert.True(metrics.Recall >= 0.9, $"recall {metrics.Recall:F3}");
    }
}
