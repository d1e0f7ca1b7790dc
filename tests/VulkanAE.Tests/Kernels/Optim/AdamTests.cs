using VulkanAE.Core;
using VulkanAE.Kernels.Optim;

namespace VulkanAE.Tests.Kernels.Optim;

public class AdamTests : GpuTest
{
    /// <summary>Parameters, gradients, moments and the step counter of one Adam step, replayed with host updates in between.</summary>
    private sealed class AdamRun : IDisposable
    {
        public readonly Tensor Parameters, Gradients, FirstMoment, SecondMoment, TrainingState;
        private readonly Sequence _step;

        /// <param name="scheduled">Adam reads the learning rate from the state (a schedule's), not the settings.</param>
        public AdamRun(Gpu gpu, float[] initial, AdamSettings settings, bool scheduled = false)
        {
            Parameters = gpu.CreateTensor("parameters", initial);
            Gradients = gpu.CreateTensor("gradients", initial.Length);
            FirstMoment = gpu.CreateTensor("m", new float[initial.Length]);
            SecondMoment = gpu.CreateTensor("v", new float[initial.Length]);
            TrainingState = gpu.CreateTensor("trainingState", VulkanAE.Kernels.Training.TrainingState.LearningRateIndex + 1);
            _step = Sequence.Record(gpu, "adam", r =>
                AdamKernels.Step(r, Parameters, Gradients, FirstMoment, SecondMoment, TrainingState, initial.Length, settings, scheduledLearningRate: scheduled));
        }

        /// <summary>
        /// Uploads the gradient, step number and learning rate (as the training loop's counter kernel would leave them) and replays the step;
        /// the rate only matters to a scheduled run.
        /// </summary>
        public void Step(float[] gradients, uint t, float learningRate = float.NaN)
        {
            Gradients.Upload<float>(gradients);
            TrainingState.Upload<uint>([t]);
            TrainingState.Upload<uint>([BitConverter.SingleToUInt32Bits(learningRate)], VulkanAE.Kernels.Training.TrainingState.LearningRateIndex);
            _step.Submit().Wait();
        }

        public void Dispose()
        {
            _step.Dispose();
            foreach (var tensor in new[] { Parameters, Gradients, FirstMoment, SecondMoment, TrainingState }) tensor.Dispose();
        }
    }

    [TestCase(0f, 1001)]
    [TestCase(0.05f, 1001)]
    [TestCase(0f, 1024)] // a multiple of 4: the vec4 path
    [TestCase(0.05f, 1024)]
    public void StepsMatchReference(float weightDecay, int count)
    {
        var settings = new AdamSettings(LearningRate: 1e-2f, WeightDecay: weightDecay);
        var random = new Random(21);
        var parameters = RandomArray(random, count);
        var m = new float[parameters.Length];
        var v = new float[parameters.Length];
        using var run = new AdamRun(Gpu, parameters, settings);
        for (int t = 1; t <= 10; t++)
        {
            var gradients = RandomArray(random, parameters.Length, -0.5f, 0.5f);
            run.Step(gradients, (uint)t);
            AdamReference.Step(parameters, gradients, m, v, t, settings);
            if (t is 1 or 10)
            {
                AssertClose(run.Parameters.ToArray(), parameters, rtol: 1e-6f, atol: 1e-7f, what: $"parameters after step {t}");
                AssertClose(run.FirstMoment.ToArray(), m, rtol: 1e-6f, atol: 1e-9f, what: $"m after step {t}");
                AssertClose(run.SecondMoment.ToArray(), v, rtol: 1e-6f, atol: 1e-12f, what: $"v after step {t}");
            }
        }
    }

    [TestCase(0f, 1001)]
    [TestCase(0.05f, 1024)]
    public void ScheduledStepsTakeTheirRateFromTheTrainingState(float weightDecay, int count)
    {
        // The settings' rate is far from the schedule's: a step that used it would fail the comparison.
        var settings = new AdamSettings(LearningRate: 0.5f, WeightDecay: weightDecay);
        var random = new Random(25);
        var parameters = RandomArray(random, count);
        var m = new float[parameters.Length];
        var v = new float[parameters.Length];
        using var run = new AdamRun(Gpu, parameters, settings, scheduled: true);
        for (int t = 1; t <= 7; t++)
        {
            float rate = 1e-2f / t;
            var gradients = RandomArray(random, parameters.Length, -0.5f, 0.5f);
            run.Step(gradients, (uint)t, rate);
            AdamReference.Step(parameters, gradients, m, v, t, settings, scheduledRate: rate);
        }
        AssertClose(run.Parameters.ToArray(), parameters, rtol: 1e-6f, atol: 1e-7f, what: "parameters after step 7");
    }

    [Test]
    public void FirstStepMovesEachParameterByTheLearningRate()
    {
        // At t = 1 the bias corrections cancel the (1 - beta) factors: m_hat = g and
        // sqrt(v_hat) = |g|, so each parameter moves by lr * g / (|g| + eps), i.e. lr against its gradient.
        var settings = new AdamSettings(LearningRate: 0.25f);
        var initial = RandomArray(new Random(22), 33);
        var gradients = RandomArray(new Random(23), 33, -3f, 3f);
        using var run = new AdamRun(Gpu, initial, settings);
        run.Step(gradients, 1);
        var expected = initial.Select((p, i) => p - 0.25f * MathF.Sign(gradients[i])).ToArray();
        AssertClose(run.Parameters.ToArray(), expected, rtol: 1e-6f, atol: 1e-6f, what: "parameters");
    }

    [Test]
    public void LateStepReadsTheStepNumberFromTrainingState()
    {
        // t = 2000: both bias corrections come from exp rather than the series of small t.
        var settings = new AdamSettings(LearningRate: 3e-3f, Beta1: 0.8f, Beta2: 0.995f, Epsilon: 1e-6f);
        var random = new Random(24);
        var parameters = RandomArray(random, 257);
        var m = RandomArray(random, 257, -0.1f, 0.1f);
        var v = RandomArray(random, 257, 0f, 0.01f);
        var gradients = RandomArray(random, 257, -0.2f, 0.2f);
        using var run = new AdamRun(Gpu, parameters, settings);
        run.FirstMoment.Upload<float>(m);
        run.SecondMoment.Upload<float>(v);
        run.Step(gradients, 2000);
        AdamReference.Step(parameters, gradients, m, v, 2000, settings);
        AssertClose(run.Parameters.ToArray(), parameters, rtol: 1e-6f, atol: 1e-7f, what: "parameters");
    }

    private static readonly string[] TorchCases = AdamTorchFixture.Cases.Select(c => c.Name).ToArray();

    [TestCaseSource(nameof(TorchCases))]
    public void MatchesTorchOptim(string name)
    {
        var torch = AdamTorchFixture.Cases.Single(c => c.Name == name);
        using var run = new AdamRun(Gpu, AdamTorchFixture.Initial, torch.Settings);
        for (int t = 1; t <= AdamTorchFixture.Gradients.Length; t++)
        {
            run.Step(AdamTorchFixture.Gradients[t - 1], (uint)t);
            if (t == 1) AssertClose(run.Parameters.ToArray(), torch.AfterStep1, rtol: 1e-6f, atol: 1e-7f, what: "parameters after step 1");
        }
        AssertClose(run.Parameters.ToArray(), torch.AfterStep10, rtol: 1e-6f, atol: 1e-7f, what: "parameters after step 10");
        AssertClose(run.FirstMoment.ToArray(), torch.FirstMoment10, rtol: 1e-6f, atol: 1e-9f, what: "exp_avg after step 10");
        AssertClose(run.SecondMoment.ToArray(), torch.SecondMoment10, rtol: 1e-6f, atol: 1e-15f, what: "exp_avg_sq after step 10");
    }
}
