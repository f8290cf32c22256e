using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>
/// How well a <see cref="SupervisedLayer"/> predicts reviewers' decisions, measured by stratified
/// k-fold cross-validation: every example is predicted by a model trained without its fold, and the
/// measures are computed once over all those out-of-fold predictions.
/// </summary>
/// <param name="Precision">TP / (TP + FP) at probability ≥ 0.5; 0 when nothing is predicted confirmed (0/0).</param>
/// <param name="Recall">TP / (TP + FN) at probability ≥ 0.5 (TP + FN ≥ <see cref="SupervisedLayer.MinimumPerClass"/>).</param>
/// <param name="Auc">Area under the ROC curve: the chance that a confirmed example gets a higher
/// out-of-fold probability than a dismissed one, ties counting ½ (Mann-Whitney U / (n₊ n₋)).</param>
/// <param name="Count">n, the number of labelled examples.</param>
/// <param name="Confirmed">n₊, examples labelled confirm (1).</param>
/// <param name="Folds">k, the number of folds.</param>
public sealed record SupervisedReport(
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("auc")] double Auc,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("confirmed")] int Confirmed,
    [property: JsonPropertyName("folds")] int Folds);
