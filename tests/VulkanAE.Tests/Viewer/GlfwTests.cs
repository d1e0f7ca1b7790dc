using System.Runtime.InteropServices;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

[TestFixture]
public class GlfwTests
{
    [Test]
    public void Resolve_Glfw_LoadsTheLibraryByThePlatformsName()
    {
        nint library = Glfw.Resolve(typeof(Glfw).Assembly, "glfw");

        Assert.That(library, Is.Not.EqualTo(nint.Zero));
        Assert.That(NativeLibrary.GetExport(library, "glfwCreateWindowSurface"), Is.Not.EqualTo(nint.Zero));
    }

    [Test]
    public void Resolve_OtherLibraries_AreLeftToTheirOwnBindings()
    {
        Assert.That(Glfw.Resolve(typeof(Glfw).Assembly, "vulkan"), Is.EqualTo(nint.Zero));
    }

    [Test]
    public void NotInstalled_NamesTheFileAndHowToInstallIt()
    {
        string expected = OperatingSystem.IsWindows() ? "glfw3.dll" : OperatingSystem.IsMacOS() ? "brew install glfw" : "apt-get install libglfw3";

        Assert.That(Glfw.NotInstalled, Does.StartWith("GLFW is not installed: ").And.Contain(expected));
    }

    [Test]
    public void Imports_ResolveThroughIt_WithoutADisplay()
    {
        // glfwGetError may be called before glfwInit; it needs the library but no display.
        Assert.That(Glfw.LastError(), Is.Null);
    }
}
