namespace VulkanAE.Kernels.Training;

/// <summary>The learning-rate schedules: the SCHEDULE_* defines of shaders/include/learning_rate_schedule.glsl.</summary>
internal enum LearningRateScheduleKind
{
    /// <summary>The same rate throughout.</summary>
    Constant = 0,

    /// <summary>torch's CosineAnnealingLR down to 0 over the run's steps after the warm-up.</summary>
    Cosine = 1,

    /// <summary>torch's StepLR: the rate times <see cref="LearningRateSchedule.DecayFactor"/> every <see cref="LearningRateSchedule.DecayEverySteps"/>.</summary>
    Step = 2,

    /// <summary>torch's ReduceLROnPlateau: constant on the device; the host lowers the state's scale between epochs (VulkanAE.Training.PlateauReduction).</summary>
    Plateau = 3,
}

/// <summary>
/// A learning-rate schedule in optimizer steps. advance_state.comp evaluates it on the device at
/// every training step and leaves the rate in the training state, where Adam reads it: a replayed
/// step needs nothing from the host. <see cref="RateAt"/> is the CPU reference.
/// </summary>
internal sealed record LearningRateSchedule
{
    public LearningRateSchedule(LearningRateScheduleKind kind, float baseRate, uint warmupSteps = 0, uint totalSteps = 1, uint decayEverySteps = 1,
        float decayFactor = 0.1f)
    {
        if (!(float.IsFinite(baseRate) && baseRate > 0)) throw new ArgumentOutOfRangeException(nameof(baseRate), $"the learning rate must be positive, got {baseRate}");
        ArgumentOutOfRangeException.ThrowIfZero(totalSteps);
        ArgumentOutOfRangeException.ThrowIfZero(decayEverySteps);
        if (!(decayFactor > 0 && decayFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(decayFactor), $"the decay factor must be in (0, 1], got {decayFactor}");
        (Kind, BaseRate, WarmupSteps, TotalSteps, DecayEverySteps, DecayFactor) = (kind, baseRate, warmupSteps, totalSteps, decayEverySteps, decayFactor);
    }

    public LearningRateScheduleKind Kind { get; }
    public float BaseRate { get; }

    /// <summary>Steps over which the rate ramps up linearly to the schedule's (0: none).</summary>
    public uint WarmupSteps { get; }

    /// <summary>The run's steps in all: a cosine reaches 0 at the last.</summary>
    public uint TotalSteps { get; }

    public uint DecayEverySteps { get; }
    public float DecayFactor { get; }

    /// <summary>The rate of optimizer step <paramref name="step"/> (from 1) with the host's <paramref name="scale"/>, in double.</summary>
    public double RateAt(uint step, float scale = 1f)
    {
        step = Math.Max(step, 1);
        double rate = (double)BaseRate * scale;
        if (step <= WarmupSteps) return rate * step / WarmupSteps;
        return Kind switch
        {
            LearningRateScheduleKind.Cosine => rate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (double)(step - WarmupSteps - 1) / Math.Max(TotalSteps - WarmupSteps, 1u)))),
            LearningRateScheduleKind.Step => rate * Math.Pow(DecayFactor, (step - 1) / DecayEverySteps),
            _ => rate,
        };
    }
}
