using System.Text.RegularExpressions;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Loss;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Tests.Core;

/// <summary>
/// Values that C# and GLSL both name: each C# enum or index against the #defines of the shader
/// source that mirrors it, in both directions, so neither side can add or renumber one alone.
/// </summary>
public partial class ShaderDefinesTests
{
    [GeneratedRegex(@"^\s*#define\s+(\w+)\s+(\d+)u?\s*$", RegexOptions.Multiline)]
    private static partial Regex NumericDefine();

    private static string ShaderSource(string relativePath)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "VulkanAE.sln")))
                return File.ReadAllText(Path.Combine(folder.FullName, "shaders", relativePath));
        throw new DirectoryNotFoundException($"no VulkanAE.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The numeric #defines of a shader source whose names start with <paramref name="prefix"/>.</summary>
    private static Dictionary<string, long> Defines(string relativePath, string prefix) => NumericDefine().Matches(ShaderSource(relativePath))
        .Where(m => m.Groups[1].Value.StartsWith(prefix, StringComparison.Ordinal))
        .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));

    /// <summary>BinaryCrossEntropyWithLogits -> BINARY_CROSS_ENTROPY_WITH_LOGITS.</summary>
    private static string UpperSnake(string pascal) => Regex.Replace(pascal, "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant();

    private static Dictionary<string, long> Mirror<TEnum>(string prefix) where TEnum : struct, Enum
        => Enum.GetValues<TEnum>().ToDictionary(v => prefix + UpperSnake(v.ToString()), v => Convert.ToInt64(v));

    [Test]
    public void ActivationKindsMatchTheShaderDefines()
        => Assert.That(Defines("include/activation.glsl", "ACTIVATION_"), Is.EquivalentTo(Mirror<ActivationKind>("ACTIVATION_")));

    [Test]
    public void LossKindsMatchTheShaderDefines()
        => Assert.That(Defines("loss/elementwise_loss.comp", "LOSS_"), Is.EquivalentTo(Mirror<LossKind>("LOSS_")));

    [Test]
    public void TrainingStateIndicesMatchTheShaderDefines()
        => Assert.That(Defines("include/training_state.glsl", "STATE_"), Is.EquivalentTo(new Dictionary<string, long>
        {
            ["STATE_OPTIMIZER_STEP"] = TrainingState.OptimizerStepIndex,
            ["STATE_BATCH"] = TrainingState.BatchIndex,
            ["STATE_GRADIENT_NORM"] = TrainingState.GradientNormIndex,
            ["STATE_GRADIENT_SCALE"] = TrainingState.GradientScaleIndex,
            ["STATE_LEARNING_RATE"] = TrainingState.LearningRateIndex,
            ["STATE_LEARNING_RATE_SCALE"] = TrainingState.LearningRateScaleIndex,
        }));

    [Test]
    public void ScheduleKindsMatchTheShaderDefines()
        => Assert.That(Defines("include/learning_rate_schedule.glsl", "SCHEDULE_"), Is.EquivalentTo(Mirror<LearningRateScheduleKind>("SCHEDULE_")));

    [Test]
    public void TheDefinesAreFound()
        => Assert.That(Defines("include/activation.glsl", "ACTIVATION_"), Has.Count.EqualTo(4), "the #define pattern must match the shader sources' style");
}
