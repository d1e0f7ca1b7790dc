using System.Globalization;
using System.Text;
using VulkanAE.Analysis;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Training;

/// <summary>One scored image: its path in the folder, its score, whether its folder marks it anomalous, and its kind (anomalous/KIND/...).</summary>
internal sealed record AnomalyScore(string Path, double Score, bool? Anomalous, string? Kind);

/// <summary>How well the score finds one kind of anomaly among the normal images (or all kinds at once, Kind "all").</summary>
internal sealed record KindSeparation(string Kind, int Count, double RocAuc, double RecallAtThreshold);

/// <summary>
/// The threshold that flags at most the chosen share of normal images, with the share it does flag and the
/// share of anomalies it finds there.
/// </summary>
internal sealed record OperatingPoint(double TargetFalsePositiveRate, double Threshold, double FalsePositiveRate, double Recall);

/// <summary>
/// The scores, most anomalous first; when the folder is labelled normal/anomalous, the ROC AUC overall and per kind,
/// and the operating point at the chosen false positive rate.
/// </summary>
internal sealed record AnomalyReport(IReadOnlyList<AnomalyScore> Ranked, double? RocAuc, IReadOnlyList<KindSeparation> Kinds, OperatingPoint? Operating);

/// <summary>
/// What `vae anomaly` scores with, and the false positive rate its threshold is chosen for; <paramref name="NormalFolder"/>
/// is the folder of normal images a density score is fitted on (default: the run's training set, with its --limit).
/// </summary>
internal sealed record AnomalyOptions(ScoreRecipe Score, double FalsePositiveRate = 0.05, string? NormalFolder = null);

/// <summary>
/// Anomaly detection with a trained autoencoder: an image it reconstructs badly is unlike what it
/// learnt. Each image of a folder is scored by comparing it with its reconstruction (<see cref="AnomalyScoring"/>),
/// by how unusual the encoder's features are (<see cref="FeatureDensity"/>) or, for a CutPaste classifier, by its
/// logit; several runs of one model score as an ensemble, the mean of their scores. When the folder has sub-folders
/// named normal and anomalous (or anomaly), the ROC AUC says how well the score separates them, per kind when
/// anomalous/ has sub-folders (anomalous/extra-eye/...), and the threshold for a chosen false positive rate says where
/// to cut.
/// </summary>
internal static class AnomalyDetection
{
    public const string TableFile = "anomaly_scores.csv";
    public const string KindsFile = "anomaly_kinds.csv";
    public const string GridFile = "anomaly_extremes.png";
    public const string RocFile = "anomaly_roc.png";
    public const string AllKinds = "all";

    /// <param name="runDirectories">
    /// One run, or several that score as an ensemble: each image's score is the mean of the runs' scores (for a CutPaste
    /// classifier the mean logit), its map the mean of their maps, its reconstruction the mean of theirs. Meant for one
    /// model trained with other seeds; the runs must take the same images (shape, pixel range, alignment) and all
    /// reconstruct or all classify.
    /// </param>
    /// <param name="resize">Convert and resize images to the model's input; without it, images of another shape are refused, naming both shapes.</param>
    public static AnomalyReport Run(IReadOnlyList<string> runDirectories, string folder, string outputDirectory, int? device, AnomalyOptions? options = null,
        bool resize = false, Action<string>? note = null)
    {
        options ??= new AnomalyOptions(new ScoreRecipe());
        options.Score.Checked();
        if (runDirectories.Count == 0) throw new ArgumentException("no run to score with", nameof(runDirectories));
        if (runDirectories.GroupBy(run => Path.TrimEndingDirectorySeparator(Path.GetFullPath(run))).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new UserInputException($"--run {repeated.First()}: named twice; the runs of an ensemble are different runs (the same model trained with other seeds)");
        using var first = TrainedRun.Open(runDirectories[0], device, note);
        var model = first.Model;
        var input = model.Spec.InputShape;
        if (input.Height != input.Width)
            throw new ArgumentException($"model {model.Spec.Name} takes {input} inputs; image folders give square images");
        RequireScoreFits(first, options.Score);
        var images = LoadFolder(folder, first, resize);
        var all = images.Train;
        bool?[] anomalous = AnomalousLabels(all, images.ClassNames);
        string?[] kinds = images.TrainPaths.Select((path, i) => anomalous[i] == true ? KindOf(path) : null).ToArray();
        bool labelled = anomalous.All(a => a is not null) && anomalous.Distinct().Count() == 2;

        var (clean, scores, maps, output) = Score(first, all, options, resize, note);
        if (runDirectories.Count > 1 && labelled) NoteAloneAuc(first.Directory, scores, anomalous, note);
        for (int r = 1; r < runDirectories.Count; r++)
        {
            using var member = TrainedRun.Open(runDirectories[r], device, note);
            RequireSameImages(first, member);
            var scored = Score(member, all, options, resize, note);
            if (labelled) NoteAloneAuc(member.Directory, scored.Scores, anomalous, note);
            Accumulate(scores, scored.Scores);
            Accumulate(maps, scored.Maps);
            if (output is not null) Accumulate(output, scored.Output!);
        }
        float runs = runDirectories.Count;
        foreach (var sums in new[] { scores, maps, output }.OfType<float[]>())
            for (int i = 0; i < sums.Length; i++) sums[i] /= runs;

        var order = Enumerable.Range(0, all.Count).OrderByDescending(i => scores[i]).ThenBy(i => images.TrainPaths[i], StringComparer.Ordinal).ToArray();
        var ranked = order.Select(i => new AnomalyScore(images.TrainPaths[i], scores[i], anomalous[i], kinds[i])).ToArray();
        double? auc = null;
        OperatingPoint? operating = null;
        List<KindSeparation> separations = [];
        Directory.CreateDirectory(outputDirectory);
        if (labelled)
        {
            var labels = anomalous.Select(a => a!.Value).ToArray();
            auc = RocAuc.Area(scores, labels);
            var curve = RocAuc.Curve(scores, labels);
            var point = RocAuc.AtFalsePositiveRate(curve, options.FalsePositiveRate);
            operating = new OperatingPoint(options.FalsePositiveRate, point.Threshold, point.FalsePositiveRate, point.TruePositiveRate);
            separations.Add(new KindSeparation(AllKinds, labels.Count(a => a), auc.Value, point.TruePositiveRate));
            foreach (var kind in kinds.OfType<string>().Distinct().Order(StringComparer.Ordinal))
                separations.Add(Separation(kind, scores, labels, kinds, point.Threshold));
            using var roc = AnomalyPictures.Roc(options.Score, runDirectories.Count, auc.Value, curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToArray(), operating);
            roc.Write(Path.Combine(outputDirectory, RocFile));
            WriteKinds(Path.Combine(outputDirectory, KindsFile), separations);
        }
        WriteTable(Path.Combine(outputDirectory, TableFile), ranked, operating);
        using var extremes = AnomalyPictures.Extremes(model, options.Score, runDirectories.Count, all, clean, output, maps, order, ranked);
        extremes.Write(Path.Combine(outputDirectory, GridFile));
        return new AnomalyReport(ranked, auc, separations, operating);
    }

    /// <summary>
    /// The score when none is asked for: a CutPaste classifier's logit, the squared reconstruction error for the others. On the
    /// synthetic faces' tuned kinds the logit and the density of the classifier's features tie (mean ROC AUC over three seeds
    /// .965 against .959 on 540 faces, .961 against .963 on all of them); the logit needs no fit on normal images.
    /// </summary>
    public static AnomalyScoreKind DefaultScore(string runDirectory)
        => RunDirectory.LoadModel(runDirectory).Description.Options.Spec().Reconstructs ? AnomalyScoreKind.Mse : AnomalyScoreKind.Logit;

    /// <summary>
    /// One run's scores of <paramref name="images"/>: the images as the model saw them, a score and a map per image (a
    /// classifier's saliency, else the squared reconstruction error beside a density score), and the reconstructions.
    /// </summary>
    private static (float[] Clean, float[] Scores, float[] Maps, float[]? Output) Score(TrainedRun trained, ImageDataset images, AnomalyOptions options,
        bool resize, Action<string>? note)
    {
        using var data = new DeviceDataset(trained.Gpu, images);
        float[] clean, scores, maps;
        float[]? output = null;
        bool density = options.Score.Kind == AnomalyScoreKind.Density;
        if (!trained.Model.Spec.Reconstructs) (clean, scores, maps) = trained.Inference.Classify(data);
        else
        {
            (clean, _, output) = trained.Inference.Reconstruct(data, images.Count);
            (scores, maps) = AnomalyScoring.Score(trained.Gpu, density ? options.Score with { Kind = AnomalyScoreKind.Mse } : options.Score,
                trained.Model.Spec.InputShape, trained.Model.Spec.Range, clean, output);
        }
        if (density) scores = DensityScores(trained, data, options, resize, note);
        return (clean, scores, maps, output);
    }

    /// <summary>Refuses a score the run cannot give: a logit from an autoencoder, a reconstruction error from a classifier.</summary>
    private static void RequireScoreFits(TrainedRun trained, ScoreRecipe score)
    {
        bool classifier = !trained.Model.Spec.Reconstructs;
        string name = trained.Model.Spec.Name;
        if (score.Kind == AnomalyScoreKind.Logit && !classifier)
            throw new UserInputException($"--score logit reads a CutPaste classifier's logit; {trained.Directory} holds {name}, which reconstructs: score it with mse, ssim, gradient or density");
        if (classifier && score.Kind is not (AnomalyScoreKind.Logit or AnomalyScoreKind.Density))
            throw new UserInputException($"--score {score.Name}: {trained.Directory} holds {name}, a CutPaste classifier with no reconstruction to compare: "
                + "score it with --score logit, or density (its features')");
    }

    /// <summary>
    /// Refuses an ensemble member that would see the folder's images otherwise than the first run, or that gives no reconstruction
    /// where it does; a member that passes can give whatever score the first run gives.
    /// </summary>
    private static void RequireSameImages(TrainedRun first, TrainedRun member)
    {
        static string Takes(TrainedRun run) => $"{run.Model.Spec.Name} ({run.Model.Spec.InputShape} images in {run.Model.Spec.Range} range"
            + $"{(run.Options.AlignsForeground ? ", aligned on their foreground" : "")}, {(run.Model.Spec.Reconstructs ? "reconstructing" : "classifying")})";
        string a = Takes(first), b = Takes(member);
        if (a != b)
            throw new UserInputException($"--run {member.Directory}: holds {b}, where {first.Directory} holds {a}; the runs of an ensemble take the same images "
                + "and give the same kind of score: train the same model with other seeds");
    }

    /// <summary>An ensemble member's own ROC AUC, for comparing it with the ensemble's.</summary>
    private static void NoteAloneAuc(string runDirectory, float[] scores, bool?[] anomalous, Action<string>? note)
        => note?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{runDirectory}: ROC AUC {RocAuc.Area(scores, anomalous.Select(a => a!.Value).ToArray()):F4} on its own"));

    private static void Accumulate(float[] sums, float[] values)
    {
        for (int i = 0; i < sums.Length; i++) sums[i] += values[i];
    }

    /// <summary>The feature density of the normal images (the run's training set or <see cref="AnomalyOptions.NormalFolder"/>), scored on <paramref name="data"/>.</summary>
    private static float[] DensityScores(TrainedRun trained, DeviceDataset data, AnomalyOptions options, bool resize, Action<string>? note)
    {
        var normal = options.NormalFolder is { } folder ? LoadFolder(folder, trained, resize).Train : trained.LoadTrainingSet();
        using var normalData = new DeviceDataset(trained.Gpu, normal);
        using var fitted = FeatureDensity.Fit(trained.Gpu, trained.Inference, normalData);
        int positions = fitted.Layers.Shape.Positions;
        note?.Invoke($"density: Gaussians of {fitted.Layers.Description} at {positions} position{(positions == 1 ? "" : "s")}, fitted on {fitted.NormalImages} normal images "
            + $"({options.NormalFolder ?? "the run's training set"})");
        return fitted.Scores(trained.Inference, data, options.Score);
    }

    /// <summary>Every image of <paramref name="folder"/> and its sub-folders, as the model takes them.</summary>
    private static ImageFolderDatasets LoadFolder(string folder, TrainedRun trained, bool resize)
        => ImageFolder.Load(folder, new ImageFolderOptions(trained.Model.Spec.InputShape.Height, trained.Model.Spec.InputShape.Channels, Resize: resize,
            TestFraction: 0, ConvertChannels: resize, AlignForeground: trained.Options.AlignsForeground));

    /// <summary>One kind's anomalies against every normal image.</summary>
    private static KindSeparation Separation(string kind, float[] scores, bool[] labels, string?[] kinds, double threshold)
    {
        var members = Enumerable.Range(0, scores.Length).Where(i => !labels[i] || kinds[i] == kind).ToArray();
        double area = RocAuc.Area(members.Select(i => scores[i]).ToArray(), members.Select(i => labels[i]).ToArray());
        var ofKind = members.Where(i => labels[i]).ToArray();
        return new KindSeparation(kind, ofKind.Length, area, ofKind.Count(i => scores[i] >= threshold) / (double)ofKind.Length);
    }

    /// <summary>The sub-folder of anomalous/ that holds <paramref name="path"/> (anomalous/extra-eye/a.png: extra-eye), or null directly in it.</summary>
    private static string? KindOf(string path)
    {
        var parts = path.Split('/');
        return parts.Length > 2 ? parts[1] : null;
    }

    /// <summary>True for images under a sub-folder named anomalous/anomaly, false under normal, null otherwise.</summary>
    private static bool?[] AnomalousLabels(ImageDataset images, IReadOnlyList<string> classNames)
    {
        bool? Kind(string name) => name.ToLowerInvariant() switch
        {
            "anomalous" or "anomaly" or "anomalies" => true,
            "normal" => false,
            _ => null,
        };
        return images.Labels is null
            ? new bool?[images.Count]
            : images.Labels.Select(label => Kind(classNames[label])).ToArray();
    }

    private static void WriteTable(string path, IReadOnlyList<AnomalyScore> ranked, OperatingPoint? operating)
    {
        var text = new StringBuilder("rank,path,score,label,kind,flagged\n");
        for (int i = 0; i < ranked.Count; i++)
        {
            string label = ranked[i].Anomalous switch { true => "anomalous", false => "normal", null => "" };
            string flagged = operating is null ? "" : ranked[i].Score >= operating.Threshold ? "yes" : "no";
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{i + 1},{ranked[i].Path},{ranked[i].Score:G6},{label},{ranked[i].Kind},{flagged}\n"));
        }
        RunFile.WriteAllText(path, text.ToString());
    }

    private static void WriteKinds(string path, IReadOnlyList<KindSeparation> separations)
    {
        var text = new StringBuilder("kind,count,roc_auc,recall_at_threshold\n");
        foreach (var s in separations)
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{s.Kind},{s.Count},{s.RocAuc:F4},{s.RecallAtThreshold:F4}\n"));
        RunFile.WriteAllText(path, text.ToString());
    }
}
