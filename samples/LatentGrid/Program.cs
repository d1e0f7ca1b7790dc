// Loads a run directory through the VulkanAE library and writes the images its decoder makes from a
// regular grid over its 2-D latent space (as `vae latent-grid` does), with no glslc and no CLI.
using VulkanAE;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: LatentGrid RUN_DIRECTORY OUTPUT.png  (a run of a model with a 2-D latent space, e.g. `vae train --model conv-vae`)");
    return 2;
}

using var device = VulkanDevice.Open();
using var model = TrainedModel.Load(device, args[0]);
if (model.CodeSize != 2)
{
    Console.Error.WriteLine($"{args[0]}: {model.Name} has a {model.CodeSize}-D latent space; the grid needs 2 (train with --latent 2)");
    return 2;
}
var written = model.WriteLatentGrid(args[1]);
Console.WriteLine($"{model.Description} on {device.Name}: wrote {string.Join(" and ", written)}");
return 0;
