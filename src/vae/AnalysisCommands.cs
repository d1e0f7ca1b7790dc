using System.CommandLine;
using System.Globalization;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae pca` and `vae anomaly`: experiments on a trained run.</summary>
internal static class AnalysisCommands
{
    public static IEnumerable<Command> Create() => [Pca(), Anomaly()];

    private static Command Pca()
    {
        var run = new Argument<string>("run") { Description = "Run directory of a linear autoencoder (vae train --model linear-ae --latent K)" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var command = new Command("pca", "Compare a linear autoencoder with PCA of the same data: explained variance, principal angles between "
            + $"the decoder's span and the top-k components, both reconstructions ({PcaExperiment.PictureFile}, {PcaExperiment.SpectrumFile}, "
            + $"each with an SVG beside it, and {PcaExperiment.ReportFile}).")
        {
            run, device,
        };
        command.SetAction(parse =>
        {
            var result = PcaExperiment.Run(parse.GetValue(run)!, parse.GetValue(device), CliErrors.Note);
            Console.WriteLine(result.Report());
            return 0;
        });
        return command;
    }

    private static Command Anomaly()
    {
        var run = new Option<string[]>("--run")
        {
            Description = "Run directory of the trained autoencoder or CutPaste classifier; several (--run A B C: the same model trained with other seeds) "
                + "score as an ensemble, each image scored by the mean of their scores, which varies less from seed to seed than one run (needs --out)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var data = new Option<string>("--data") { Description = "Folder of PNG/JPEG images to score; sub-folders normal/ and anomalous/ give the ROC AUC, anomalous/KIND/ one per kind; registered on their foreground when the run was trained with --align foreground", Required = true };
        var output = new Option<string?>("--out") { Description = "Where to write the scores and pictures (default: the run directory, with one --run)" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var resize = new Option<bool>("--resize")
        {
            Description = "Convert the images to the model's channels and centre-crop and resize them to its size (without it, images of another shape are refused)",
        };
        var score = new Option<string>("--score")
        {
            Description = "The error map: mse (squared error), ssim (1 - structural similarity, 7x7 windows), gradient (squared error of the steps to the next pixel: edges, "
                + "not colour), or density: not a reconstruction error but how unusual the encoder's features are at each position, the Mahalanobis distance to "
                + "Gaussians fitted to the normal images' features (--normal), which finds features added, moved or reshaped that the model reconstructs well; "
                + "or logit, for a CutPaste classifier (--model face-cutpaste): its logit that a patch of the image is out of place (density works for it "
                + "too: its convolutions' features). Default: logit for a CutPaste classifier, mse for the others",
        };
        score.AcceptOnlyFromAmong([.. ScoreRecipe.KindNames]);
        var pool = new Option<string>("--pool")
        {
            Description = "How the map becomes the score: mean (over every pixel), max-local (the largest mean over a --window square: a small defect is not averaged away), "
                + "top (the mean of the worst --top-percent of pixels) or max (the worst pixel). Default: mean; max for --score density",
        };
        pool.AcceptOnlyFromAmong([.. ScoreRecipe.PoolingNames]);
        var window = new Option<int>("--window") { Description = "Side of the square of --pool max-local, in pixels (odd)", DefaultValueFactory = _ => ScoreRecipe.DefaultWindow };
        var topPercent = new Option<double>("--top-percent") { Description = "Share of the pixels --pool top averages, in percent", DefaultValueFactory = _ => ScoreRecipe.DefaultTopPercent };
        var normal = new Option<string?>("--normal")
        {
            Description = "Folder of normal images (sub-folders included) that --score density fits its Gaussians on. Default: the run's training set as run.yaml "
                + "names it, with its --limit",
        };
        var fpr = new Option<double>("--fpr") { Description = "False positive rate the threshold is chosen for: the share of normal images it may flag", DefaultValueFactory = _ => 0.05 };
        var command = new Command("anomaly", "Score every image of a folder by how badly the model reconstructs it, how unusual its encoder's features are, or a CutPaste classifier's logit: a ranked CSV, the most and least "
            + "anomalous images with their reconstructions and error maps, and on a labelled folder the ROC curve and AUC (per kind too), with the threshold "
            + "for --fpr and the recall there.")
        {
            run, data, output, device, score, pool, window, topPercent, normal, fpr, resize,
        };
        command.SetAction(parse =>
        {
            double rate = parse.GetValue(fpr);
            if (!(rate >= 0 && rate <= 1)) throw new UserInputException($"--fpr {rate.ToString(CultureInfo.InvariantCulture)}: a false positive rate is between 0 and 1");
            // The pooling's sizes are checked before the run is read for its default score.
            var sizes = new ScoreRecipe(Window: parse.GetValue(window), TopPercent: parse.GetValue(topPercent)).Checked();
            string[] runs = parse.GetValue(run)!;
            string? chosenOutput = parse.GetValue(output);
            if (runs.Length > 1 && chosenOutput is null)
                throw new UserInputException($"--out: {runs.Length} runs score as an ensemble, whose results belong to none of their directories; name a folder with --out");
            var scoreKind = parse.GetValue(score) is { } chosen ? ScoreRecipe.ParseKind(chosen) : AnomalyDetection.DefaultScore(runs[0]);
            var pooling = parse.GetValue(pool) is { } name ? ScoreRecipe.ParsePooling(name) : ScoreRecipe.DefaultPooling(scoreKind);
            var recipe = sizes with { Kind = scoreKind, Pooling = pooling };
            string? normalFolder = parse.GetValue(normal);
            if (scoreKind == AnomalyScoreKind.Logit && parse.GetValue(pool) is not null)
                throw new UserInputException("--pool: --score logit is one number per image, with no map to pool; drop --pool");
            if (normalFolder is not null && scoreKind != AnomalyScoreKind.Density)
                throw new UserInputException($"--normal {normalFolder}: only --score density is fitted on normal images; --score {ScoreRecipe.KindNames[(int)scoreKind]} is not");
            var options = new AnomalyOptions(recipe, rate, normalFolder);
            string outputDirectory = chosenOutput ?? runs[0];
            var report = AnomalyDetection.Run(runs, parse.GetValue(data)!, outputDirectory, parse.GetValue(device), options, parse.GetValue(resize), CliErrors.Note);
            Console.WriteLine($"scored {report.Ranked.Count} images; most anomalous first in {Path.Combine(outputDirectory, AnomalyDetection.TableFile)}");
            foreach (var top in report.Ranked.Take(5))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {top.Score:G4}  {top.Path}"));
            if (report.Operating is not { } point)
            {
                Console.WriteLine("no ROC AUC: the folder has no normal/ and anomalous/ sub-folders");
                return 0;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold for a false positive rate of {point.TargetFalsePositiveRate:G3}: score >= {point.Threshold:G4} flags {point.FalsePositiveRate:P1} of normal images and finds {point.Recall:P1} of anomalies"));
            Console.WriteLine("kind             count  ROC AUC  recall at threshold");
            foreach (var kind in report.Kinds)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind.Kind,-16} {kind.Count,5}  {kind.RocAuc,7:F4}  {kind.RecallAtThreshold,7:P1}"));
            return 0;
        });
        return command;
    }
}
