using FsCheck;
using FsCheck.Fluent;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// Generated run files, valid ones bent field by field: every reader either accepts one or
/// refuses it with a <see cref="UserInputException"/>; any other exception is a bug FsCheck
/// shrinks and prints. 10,000 cases a reader.
/// </summary>
public class ReaderFuzzTests
{
    private static readonly Config Cases = Config.QuickThrowOnFailure.WithMaxTest(10_000);

    /// <summary>Values that broke readers before, or sit on a boundary, beside arbitrary strings.</summary>
    private static readonly Gen<string> Token = Gen.OneOf(
        Gen.Elements("", "0", "1", "-1", "2", "3", "abc", "zz", "99999999999", "2147483648", "-2147483649", "4294967296", "1e39", "NaN",
            "-0", "1.5", "null", "true", "[]", "{}", "[0]", "[-1,2]", "\"x\"", "\"\"", "{\"a\":1}", "1e-50", "Infinity"),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""));

    /// <summary>A JSON object of <paramref name="valid"/>'s properties with some values replaced, dropped, or the text cut short.</summary>
    private static Gen<string> BentJson(string valid)
    {
        var properties = System.Text.Json.JsonDocument.Parse(valid).RootElement.EnumerateObject()
            .Select(p => (p.Name, Value: p.Value.GetRawText())).ToArray();
        var bent = Gen.ArrayOf(Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Token.Select(t => (string?)t))), properties.Length)
            .Select(replacements => "{" + string.Join(",", properties.Select((p, i) => $"\"{p.Name}\":{replacements[i] ?? p.Value}")) + "}");
        var cut = Gen.Choose(0, valid.Length).Select(n => valid[..n]);
        return Gen.Frequency((6, bent), (1, cut), (1, Token));
    }

    private static Gen<string?> Field(string valid, Gen<string> bent)
        => Gen.Frequency((4, Gen.Constant<string?>(valid)), (4, bent.Select(s => (string?)s)), (1, Gen.Constant<string?>(null)));

    private static bool CleanOrAccepted(Action read)
    {
        try
        {
            read();
        }
        catch (UserInputException)
        {
        }
        return true; // any other exception escapes, and FsCheck reports it with its case
    }

    [Test]
    public void CheckpointMetadataIsCheckedOrAccepted()
    {
        var valid = CheckpointMetadataTests.Valid(new EpochPosition(2, 1, [0.5f]));
        var fields = valid.Keys.Select(key => Field(valid[key], valid[key].StartsWith('{') ? BentJson(valid[key]) : Token)
            .Select(value => (key, value))).ToArray();
        var metadata = fields.Aggregate(Gen.Constant(new List<(string, string?)>()),
            (all, field) => all.SelectMany(list => field.Select(f => new List<(string, string?)>(list) { f })));
        Check.One(Cases, Prop.ForAll(metadata.ToArbitrary(), entries => CleanOrAccepted(() => CheckpointMetadata.Read("fuzz/checkpoint.safetensors",
            entries.Where(e => e.Item2 is not null).ToDictionary(e => e.Item1, e => e.Item2!)))));
    }

    [Test]
    public void MetricsCsvIsCheckedOrAccepted()
    {
        const string header = "epoch,train_loss,test_loss,train_recon,test_recon,train_kl,test_kl,seconds,images_per_second";
        var row = Gen.Choose(1, 3).SelectMany(epoch => Gen.ArrayOf(Gen.Frequency((8, Gen.Constant<string?>(null)), (1, Token.Select(t => (string?)t))), 9)
            .Select(bent => string.Join(",", bent.Select((b, i) => b ?? (i == 0 ? epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1.5")))));
        var file = Gen.OneOf(
            Gen.ListOf(row).Select(rows => new[] { header }.Concat(rows).ToArray()),
            Gen.ListOf(Token).Select(lines => lines.ToArray()),
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(bytes => System.Text.Encoding.Latin1.GetString(bytes).Split('\n')));
        Check.One(Cases, Prop.ForAll(file.ToArbitrary(), lines => CleanOrAccepted(() => EpochMetrics.ParseCsv(lines, "fuzz/metrics.csv"))));
    }

    [Test]
    public void ModelFilesAreCheckedOrAccepted()
    {
        var number = Gen.Frequency((4, Gen.Choose(1, 64).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))), (1, Token));
        var statement = Gen.OneOf(
            number.Select(n => $"dense {n}"),
            Gen.Elements("relu", "sigmoid", "tanh", "flatten", "maxpool2", "upsample2", "encoder", "decoder", "range symmetric", "loss bce", "loss mse"),
            Gen.Choose(0, 3).SelectMany(_ => Gen.ArrayOf(number, 4)).Select(n => $"conv2d {n[0]} kernel={n[1]} stride={n[2]} padding={n[3]}"),
            Gen.ArrayOf(number, 5).Select(n => $"conv-transpose2d {n[0]} kernel={n[1]} stride={n[2]} padding={n[3]} output-padding={n[4]}"),
            Gen.ArrayOf(number, 3).Select(n => $"reshape {n[0]} {n[1]} {n[2]}"),
            number.Select(n => $"latent {n}"),
            Gen.ArrayOf(number, 3).Select(n => $"input {n[0]} {n[1]} {n[2]}"),
            Token);
        var file = Gen.ListOf(statement).Select(lines => "name fuzz\ninput 1 8 8\nloss mse\n" + string.Join("\n", lines));
        Check.One(Cases, Prop.ForAll(file.ToArbitrary(), text => CleanOrAccepted(() => ModelSpecFile.Parse(text, "fuzz.model"))));
    }
}
