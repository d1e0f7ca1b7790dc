using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using VulkanAE.Vulkan;

namespace VulkanAE.Tests.Vulkan;

/// <summary>
/// Every hand-bound Vulkan struct against the C compiler's view of vulkan_core.h (Debian
/// libvulkan-dev): the size and the offset of every field must agree, or memory is corrupted.
/// </summary>
public class VulkanStructLayoutTests
{
    private static Type[] Structs() => typeof(Vk).Assembly.GetTypes()
        .Where(t => t.Namespace == "VulkanAE.Vulkan" && t.IsValueType && !t.IsEnum && t.Name.StartsWith("Vk")
            && t.GetCustomAttribute<System.Runtime.CompilerServices.InlineArrayAttribute>() is null)
        .OrderBy(t => t.Name).ToArray();

    [Test]
    public void SizesAndOffsetsMatchTheCHeaders()
    {
        var structs = Structs();
        Assert.That(structs, Has.Length.GreaterThan(40));
        var c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <vulkan/vulkan.h>\nint main(void) {\n");
        var expected = new List<string>();
        foreach (var type in structs)
        {
            c.Append($"  printf(\"{type.Name} %zu\\n\", sizeof({type.Name}));\n");
            expected.Add($"{type.Name} {Marshal.SizeOf(type)}");
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = field.Name.TrimStart('@');
                c.Append($"  printf(\"{type.Name}.{name} %zu\\n\", offsetof({type.Name}, {name}));\n");
                expected.Add($"{type.Name}.{name} {Marshal.OffsetOf(type, field.Name)}");
            }
        }
        c.Append("  return 0;\n}\n");

        var dir = Directory.CreateTempSubdirectory("vk-layout");
        var source = Path.Combine(dir.FullName, "layout.c");
        var binary = Path.Combine(dir.FullName, "layout");
        File.WriteAllText(source, c.ToString());
        Run("cc", $"-o {binary} {source}");
        var actual = Run(binary, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(expected, Is.EqualTo(actual));
    }

    private static string Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} failed: {error}");
        return output;
    }
}
