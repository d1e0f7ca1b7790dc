using System.CommandLine;

namespace VulkanAE.Cli;

/// <summary>
/// --vulkan-validation, the Khronos validation layer. It was --validation, which every ML user reads as
/// "a validation set": that name stays, hidden, to answer with the new one.
/// </summary>
internal static class VulkanValidationOption
{
    public static Option<bool> Create() => new("--vulkan-validation") { Description = "Enable the Khronos Vulkan validation layer (slow; for debugging the engine)" };

    public static Option<bool> OldName()
    {
        var option = new Option<bool>("--validation") { Hidden = true };
        option.Validators.Add(result =>
        {
            if (!result.Implicit)
                result.AddError("--validation is now --vulkan-validation (the Khronos Vulkan validation layer); to hold out a validation set, use `vae train --val-split F`");
        });
        return option;
    }
}
