using System.Globalization;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Data;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>
/// A model declared in a text file, so a user defines a new architecture without touching the
/// engine (`vae train --model-file FILE`). One statement per line, '#' starts a comment:
/// <code>
/// name my-vae
/// input 1 28 28          # channels height width
/// loss bce               # bce (the decoder ends with sigmoid) | mse
/// range unit             # optional: unit [0, 1] | symmetric [-1, 1] (tanh outputs)
/// init pytorch           # optional: pytorch (default) | glorot (Keras's default)
/// latent 2               # optional: makes it a VAE with that many latent dimensions
/// epochs 10              # optional defaults: epochs, batch, lr
/// batch 128
/// lr 0.001
/// encoder
///   conv2d 32 kernel=3 stride=2 padding=1
///   relu
///   flatten
///   dense 16
///   relu
/// decoder
///   dense 3136
///   relu
///   reshape 64 7 7
///   conv-transpose2d 32 kernel=3 stride=2 padding=1 output-padding=1
///   relu
///   conv-transpose2d 1 kernel=3 stride=2 padding=1 output-padding=1
///   sigmoid
/// </code>
/// Layers: dense N, conv2d C [kernel=3] [stride=1] [padding=same|P], conv-transpose2d C kernel=K
/// stride=S padding=P [output-padding=O], maxpool2, upsample2, flatten, reshape C [H W], relu,
/// sigmoid, tanh. An activation on the decoder's last line is the model's output activation
/// (<see cref="ModelSpec.OutputActivation"/>), which the loss fuses (binary cross-entropy: a sigmoid).
/// The declaration is validated (shapes walked through every layer, sizes counted in 64 bits) when
/// parsed; a file, a line count or a network past the limits below is refused before it is read
/// further, so no declaration can make the reader itself run away.
/// </summary>
internal static class ModelSpecFile
{
    public const long MaxFileBytes = 1 << 20;
    public const int MaxLines = 10_000;
    public const int MaxLayersPerNetwork = 1_000;

    public static IReadOnlyList<string> LayerNames { get; } =
        ["dense", "conv2d", "conv-transpose2d", "maxpool2", "upsample2", "flatten", "reshape", "relu", "sigmoid", "tanh"];

    public static ModelSpec Load(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new UserInputException($"model file {path} not found: check the --model-file path");
        if (file.Length > MaxFileBytes)
            throw new UserInputException($"{path}: {file.Length:N0} bytes; a model file is at most {MaxFileBytes:N0} bytes: is it a model declaration?");
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static ModelSpec Parse(string text, string source)
    {
        string? name = null, section = null;
        TensorShape? input = null;
        ReconstructionLoss? loss = null;
        var range = PixelRange.Unit;
        var init = WeightInit.PyTorch;
        int? latent = null, epochs = null, batch = null;
        float? lr = null;
        var encoder = new List<LayerSpec>();
        var decoder = new List<LayerSpec>();
        var lines = text.Split('\n');
        if (lines.Length > MaxLines)
            throw new UserInputException($"{source}: {lines.Length:N0} lines; a model declaration has at most {MaxLines:N0}");
        for (int number = 1; number <= lines.Length; number++)
        {
            var words = lines[number - 1].Split('#')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            var line = new Line(source, number, words);
            switch (words[0])
            {
                case "name": name = line.Word(1); line.End(2); break;
                case "input": input = new TensorShape(line.Int(1), line.Int(2), line.Int(3)); line.End(4); break;
                case "loss":
                    loss = line.Choice(1, "loss", ("bce", ReconstructionLoss.BinaryCrossEntropy), ("mse", ReconstructionLoss.MeanSquaredError));
                    line.End(2);
                    break;
                case "range":
                    range = line.Choice(1, "range", ("unit", PixelRange.Unit), ("symmetric", PixelRange.Symmetric));
                    line.End(2);
                    break;
                case "init":
                    init = line.Choice(1, "init", ("pytorch", WeightInit.PyTorch), ("glorot", WeightInit.Glorot));
                    line.End(2);
                    break;
                case "latent": latent = line.Int(1); line.End(2); break;
                case "epochs": epochs = line.Int(1); line.End(2); break;
                case "batch": batch = line.Int(1); line.End(2); break;
                case "lr": lr = line.Float(1); line.End(2); break;
                case "encoder" or "decoder": section = words[0]; line.End(1); break;
                default:
                    var layers = section switch
                    {
                        "encoder" => encoder,
                        "decoder" => decoder,
                        _ => throw line.Error($"'{words[0]}' is not a statement; layers go after an 'encoder' or 'decoder' line"),
                    };
                    if (layers.Count == MaxLayersPerNetwork)
                        throw line.Error($"the {section} has more than {MaxLayersPerNetwork} layers");
                    layers.Add(ParseLayer(line));
                    break;
            }
        }
        var output = ActivationKind.Identity;
        if (decoder is [.., LayerSpec.Activation last])
        {
            output = last.Kind;
            decoder.RemoveAt(decoder.Count - 1);
        }
        var spec = new ModelSpec(
            name ?? throw new UserInputException($"{source}: no 'name' line"),
            $"declared in {source}",
            input ?? throw new UserInputException($"{source}: no 'input C H W' line"),
            [.. encoder], [.. decoder], output,
            loss ?? throw new UserInputException($"{source}: no 'loss bce|mse' line"),
            new TrainingDefaults(epochs ?? 10, batch ?? 128, lr ?? 1e-3f),
            latent, range, init);
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"{source}: {e.Message}", e);
        }
        return spec;
    }

    private static LayerSpec ParseLayer(Line line) => line.Word(0) switch
    {
        "dense" => line.Done(new LayerSpec.Dense(line.Int(1)), 2),
        "conv2d" => line.Done(new LayerSpec.Conv2d(line.Int(1), line.Named("kernel", 3, minimum: 1), line.Named("stride", 1, minimum: 1),
            line.Option("padding") is "same" or null ? null : line.Named("padding", 0)), 2, "kernel", "stride", "padding"),
        "conv-transpose2d" => line.Done(new LayerSpec.ConvTranspose2d(line.Int(1), line.Named("kernel", minimum: 1), line.Named("stride", minimum: 1),
            line.Named("padding"), line.Named("output-padding", 0)), 2, "kernel", "stride", "padding", "output-padding"),
        "maxpool2" => line.Done(new LayerSpec.MaxPool2(), 1),
        "upsample2" => line.Done(new LayerSpec.Upsample2(), 1),
        "flatten" => line.Done(new LayerSpec.Flatten(), 1),
        "reshape" => line.Words.Length == 2
            ? new LayerSpec.Reshape(line.Int(1))
            : line.Done(new LayerSpec.Reshape(line.Int(1), line.Int(2), line.Int(3)), 4),
        "relu" => line.Done(new LayerSpec.Activation(ActivationKind.Relu), 1),
        "sigmoid" => line.Done(new LayerSpec.Activation(ActivationKind.Sigmoid), 1),
        "tanh" => line.Done(new LayerSpec.Activation(ActivationKind.Tanh), 1),
        var other => throw line.Error($"unknown layer '{other}'; layers: {string.Join(", ", LayerNames)}"),
    };

    /// <summary>One statement: positional words, then name=value options.</summary>
    private sealed record Line(string Source, int Number, string[] Words)
    {
        public UserInputException Error(string message) => new($"{Source} line {Number}: {message}");

        public string Word(int index) => index < Words.Length && !Words[index].Contains('=')
            ? Words[index]
            : throw Error($"'{Words[0]}' needs {index} value{(index > 1 ? "s" : "")}");

        /// <summary>The value named by word <paramref name="index"/>, one of <paramref name="choices"/>; an unknown word names them all.</summary>
        public T Choice<T>(int index, string what, params (string Word, T Value)[] choices)
        {
            string word = Word(index);
            foreach (var (name, value) in choices)
                if (name == word) return value;
            throw Error($"unknown {what} '{word}'; use {string.Join(" or ", choices.Select(c => c.Word))}");
        }

        public int Int(int index) => int.TryParse(Word(index), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Error($"'{Words[index]}' is not a positive whole number");

        public float Float(int index) => float.TryParse(Word(index), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Error($"'{Words[index]}' is not a positive number");

        public string? Option(string key) => Words.Skip(1).Where(w => w.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(w => w[(key.Length + 1)..]).FirstOrDefault();

        public int Named(string key, int? fallback = null, int minimum = 0)
        {
            var text = Option(key);
            if (text is null) return fallback ?? throw Error($"'{Words[0]}' needs {key}=N");
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
                ? value
                : throw Error($"{key}={text} is not a whole number of at least {minimum}");
        }

        /// <summary>Checks the line has <paramref name="positional"/> words plus only the given options.</summary>
        public T Done<T>(T layer, int positional, params string[] options)
        {
            var extra = Words.Skip(positional).FirstOrDefault(w => !options.Any(o => w.StartsWith(o + "=", StringComparison.Ordinal)));
            if (extra is not null) throw Error($"unexpected '{extra}' after '{Words[0]}'");
            return layer;
        }

        public void End(int count)
        {
            if (Words.Length > count) throw Error($"unexpected '{Words[count]}' after '{Words[0]}'");
        }
    }
}
