using System.CommandLine;
using Spectre.Console;
using VulkanAE.Core;

namespace VulkanAE.Cli;

/// <summary>`vae devices`: the Vulkan devices, with what decides where training runs well.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List the Vulkan devices: name, type, driver, API version, subgroup size and memory heaps.");
        command.SetAction(_ =>
        {
            var devices = Gpu.ListDevices();
            if (devices.Count == 0) throw new VulkanUnavailableException(VulkanInstance.NoDeviceMessage);
            var table = new Table().AddColumns("#", "device", "type", "driver", "Vulkan", "subgroup", "memory heaps");
            foreach (var d in devices)
                table.AddRow(
                    d.Index.ToString(),
                    Markup.Escape(d.Name),
                    d.Type,
                    Markup.Escape($"{d.DriverName} {d.DriverInfo}".Trim()),
                    d.ApiVersion,
                    $"{d.SubgroupSize}{(d.SubgroupShuffleInCompute ? "" : " (no shuffles)")}",
                    string.Join(", ", d.Heaps.Select(h => $"{h.SizeBytes / 1073741824.0:F1} GiB{(h.DeviceLocal ? " device-local" : "")}")));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
