using VulkanAE.Core;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Tests.Kernels.Training;

/// <summary>advance_state.comp's learning rate against the CPU reference, and the reference against torch.optim.lr_scheduler.</summary>
public class LearningRateScheduleTests : GpuTest
{
    // torch 1.13, SGD(lr=0.01) stepped once per batch, the rate read before each step (see the test below):
    // SequentialLR([LinearLR(start_factor=1/3, total_iters=2), CosineAnnealingLR(T_max=8)], milestones=[3]) over 11 steps,
    private static readonly double[] TorchWarmupCosine =
    [
        0.003333333333333333, 0.006666666666666666, 0.009999999999999998, 0.01, 0.009619397662556433, 0.008535533905932736,
        0.006913417161825449, 0.004999999999999999, 0.003086582838174551, 0.0014644660940672624, 0.00038060233744356627,
    ];

    // and StepLR(step_size=4, gamma=0.5).
    private static readonly double[] TorchStep = [0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.0025, 0.0025, 0.0025];

    [Test]
    public void TheReferenceMatchesTorchSchedulers()
    {
        var cosine = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 0.01f, warmupSteps: 3, totalSteps: 11);
        var step = new LearningRateSchedule(LearningRateScheduleKind.Step, 0.01f, totalSteps: 11, decayEverySteps: 4, decayFactor: 0.5f);
        for (uint t = 1; t <= 11; t++)
        {
            Assert.That(cosine.RateAt(t), Is.EqualTo(TorchWarmupCosine[t - 1]).Within(1e-9), $"warm-up + cosine, step {t}");
            Assert.That(step.RateAt(t), Is.EqualTo(TorchStep[t - 1]).Within(1e-9), $"step, step {t}");
        }
    }

    [TestCase("Constant", 0u, 1.0f)]
    [TestCase("Constant", 7u, 0.3f)]
    [TestCase("Cosine", 0u, 1.0f)]
    [TestCase("Cosine", 13u, 0.01f)]
    [TestCase("Step", 5u, 1.0f)]
    [TestCase("Plateau", 3u, 0.001f)]
    public void EveryStepsRateMatchesTheReference(string name, uint warmup, float scale)
    {
        var kind = Enum.Parse<LearningRateScheduleKind>(name);
        // Odd sizes: 97 steps in all, a decay every 17.
        var schedule = new LearningRateSchedule(kind, 3e-3f, warmup, totalSteps: 97, decayEverySteps: 17, decayFactor: 0.7f);
        using var state = new TrainingState(Gpu);
        state.LearningRateScale = scale;
        using var step = Sequence.Record(Gpu, "advance", r => state.RecordAdvance(r, optimizerStep: true, schedule));
        for (uint t = 1; t <= 101; t++) // past the last step too: a cosine stays at 0 there
        {
            step.Submit().Wait();
            Assert.That(state.OptimizerStep, Is.EqualTo(t));
            double expected = schedule.RateAt(t, scale);
            Assert.That(state.LearningRate, Is.EqualTo(expected).Within(2e-6 * 3e-3 * scale + 1e-6 * expected), $"{kind}, step {t}");
        }
    }

    [Test]
    public void EvaluationBatchesLeaveTheRateAndTheStepAlone()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 1e-3f, totalSteps: 10);
        using var state = new TrainingState(Gpu);
        Gpu.Run(r => state.RecordAdvance(r, optimizerStep: true, schedule));
        float rate = state.LearningRate;
        Gpu.Run(r => state.RecordAdvance(r, optimizerStep: false, schedule));
        Assert.That((state.OptimizerStep, state.LearningRate), Is.EqualTo((1u, rate)));
    }

    [Test]
    public void ANewStateStartsAtScaleOne()
    {
        using var state = new TrainingState(Gpu);
        Assert.That((state.OptimizerStep, state.LearningRateScale), Is.EqualTo((0u, 1f)));
    }
}
