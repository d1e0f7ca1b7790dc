using System.Globalization;
using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;

namespace VulkanAE.Tests.Parity;

/// <summary>
/// One training step of each built-in model against PyTorch (Fixtures/*.safetensors, made by
/// tools/make_parity_fixtures.py): same weights, batch and noise give the same loss terms, the same
/// gradient of every parameter and the same parameters after one Adam step. A conditional VAE's
/// fixture (MODEL-conditional) holds the batch's labels too; the CutPaste classifier's, a target per row.
/// </summary>
public class TorchParityTests : GpuTest
{
    private const float LearningRate = 1e-3f;
    private const double RelativeTolerance = 1e-4;

    private const string ConditionalSuffix = "-conditional";

    private static readonly string[] Models = ["fc-ae", "conv-ae", "conv-vae", "fc-vae", "fc-vae" + ConditionalSuffix, "conv-vae" + ConditionalSuffix, "face-cutpaste"];

    [TestCaseSource(nameof(Models))]
    public void OneTrainingStepMatchesPyTorch(string name)
    {
        var fixture = Safetensors.Read(Path.Combine(TestContext.CurrentContext.TestDirectory, "Parity", "Fixtures", name + ".safetensors"));
        var spec = ModelCatalog.Create(name.Replace(ConditionalSuffix, ""), OptionsOf(fixture));
        if (fixture.Metadata.TryGetValue("classes", out var classes)) spec = spec.ConditionedOn(int.Parse(classes, CultureInfo.InvariantCulture));
        Assert.That(spec.ConditionClasses is not null, Is.EqualTo(name.EndsWith(ConditionalSuffix)), "a conditional fixture names its classes");
        int rows = fixture.Tensors["input"].Shape[0];
        using var model = spec.Build(Gpu, rows, seed: 1);
        model.Labels?.Upload<float>(fixture.Tensor("labels", rows).ToFloats());
        var parameters = model.Parameters.ToArray();
        Assert.That(parameters.Select(p => p.Name), Is.EquivalentTo(fixture.Tensors.Keys.Where(k => k.StartsWith("grad.")).Select(k => k["grad.".Length..])),
            "the model's parameters and PyTorch's state_dict");
        foreach (var p in parameters) p.Value.Upload<float>(fixture.Tensor(p.Name, p.Shape).ToFloats());

        using var input = Gpu.CreateTensor("input", fixture.Tensor("input", rows, spec.InputFeatures).ToFloats());
        using var target = spec.Reconstructs ? null : Gpu.CreateTensor("target", fixture.Tensor("target", rows).ToFloats());
        using var epsilon = model.Bottleneck is { } bottleneck
            ? Gpu.CreateTensor("epsilon", fixture.Tensor("epsilon", rows, bottleneck.Latent).ToFloats())
            : null;
        using var state = new TrainingState(Gpu);
        var sums = model.LossTerms.Select(term => Gpu.CreateTensor(term + "_sum", 1)).ToArray();
        try
        {
            Gpu.Run(r =>
            {
                r.Fill(state.Tensor);
                foreach (var sum in sums) r.Fill(sum);
            });
            // Trainer.RecordTrainStep, with the fixture's batch and noise.
            Gpu.Run(r =>
            {
                model.RecordForward(r, input, rows, state.Tensor, NoiseStream.TrainingSampling, reconstruction: false, givenEpsilon: epsilon);
                model.RecordLossAndBackward(r, input, target ?? input, rows, sums, klWeight: 1f);
                state.RecordAdvance(r, optimizerStep: true);
                model.Arena.RecordAdamStep(r, state.Tensor, new AdamSettings(LearningRate));
            });

            var failures = new List<string>();
            for (int t = 0; t < sums.Length; t++)
            {
                double loss = sums[t].ToArray()[0] / model.LossDenominator(rows);
                double expected = fixture.Tensor("loss." + model.LossTerms[t], 1).ToFloats()[0];
                if (!(Math.Abs(loss - expected) <= RelativeTolerance * Math.Abs(expected)))
                    failures.Add($"loss.{model.LossTerms[t]}: got {loss:R}, expected {expected:R}");
            }
            foreach (var p in parameters)
            {
                var expectedGradient = fixture.Tensor("grad." + p.Name, p.Shape).ToFloats();
                var gradientTolerance = Tolerances(expectedGradient);
                Check("grad." + p.Name, p.Gradient.ToArray(), expectedGradient, gradientTolerance, failures);
                var expectedStep = fixture.Tensor("step1." + p.Name, p.Shape).ToFloats();
                var stepTolerance = Tolerances(expectedStep);
                for (int i = 0; i < stepTolerance.Length; i++)
                    stepTolerance[i] += FirstAdamStepUncertainty(expectedGradient[i], gradientTolerance[i]);
                Check("step1." + p.Name, p.Value.ToArray(), expectedStep, stepTolerance, failures);
            }
            Assert.That(failures, Is.Empty, $"{name}: one training step against PyTorch");
        }
        finally
        {
            foreach (var sum in sums) sum.Dispose();
        }
    }

    /// <summary>
    /// 1e-4 of each value, plus a floor of 1e-5 of the tensor's largest value. The floor is for
    /// values near zero: a gradient element is a float32 sum of many products (over the batch, the
    /// pixels, the layers above), whose rounding error scales with the terms, bounded by the tensor's
    /// scale, not with the possibly cancelled result; measured errors reach 1e-5 of that scale at
    /// the output bias (a sum over all 5488 pixels of the batch) and stay below 4e-6 elsewhere.
    /// </summary>
    private static double[] Tolerances(float[] expected)
    {
        double scale = expected.Max(v => Math.Abs((double)v));
        return expected.Select(v => RelativeTolerance * Math.Abs(v) + 1e-5 * scale).ToArray();
    }

    /// <summary>
    /// How far Adam's first step can move when the gradient g is only known to within δ. With both
    /// moments at zero the step is lr * g / (|g| + eps): flat where |g| >> eps, but for gradients near
    /// eps (1e-8; such elements exist, e.g. weights from inputs that barely reach the loss) a change of
    /// δ moves it by up to lr * δ * eps / (|g| - δ + eps)^2, and by up to 2 lr once δ can flip the sign.
    /// A gradient of exactly zero (a dead ReLU unit's weights) is exact in both frameworks: no step.
    /// </summary>
    private static double FirstAdamStepUncertainty(double gradient, double gradientTolerance)
    {
        const double eps = 1e-8;
        if (gradient == 0) return 0;
        double nearest = Math.Max(Math.Abs(gradient) - gradientTolerance, 0) + eps;
        return LearningRate * Math.Min(2, gradientTolerance * eps / (nearest * nearest));
    }

    private static void Check(string what, float[] actual, float[] expected, double[] tolerance, List<string> failures)
    {
        var bad = Enumerable.Range(0, actual.Length).Where(i => !(Math.Abs((double)actual[i] - expected[i]) <= tolerance[i])).ToArray();
        if (bad.Length > 0)
            failures.Add($"{what}: {bad.Length} of {actual.Length} differ, first [{bad[0]}]: got {actual[bad[0]]:R}, expected {expected[bad[0]]:R} (tolerance {tolerance[bad[0]]:G3})");
    }

    /// <summary>The model options the fixture was made with (its metadata), as `vae train --latent/--hidden` would give them.</summary>
    private static ModelOptions OptionsOf(SafetensorsContent fixture)
    {
        int? latent = fixture.Metadata.TryGetValue("latent", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : null;
        int[]? hidden = fixture.Metadata.TryGetValue("hidden", out var h) ? h.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray() : null;
        return new ModelOptions(latent, hidden);
    }
}
