using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace VulkanAE.Viewer;

/// <summary>
/// The few GLFW 3.3 entry points the live view uses. Windows are opaque pointers; callbacks are
/// unmanaged function pointers, so no delegate can be collected while GLFW holds it.
/// </summary>
internal static unsafe partial class Glfw
{
    /// <summary>A logical name: <see cref="Resolve"/> maps it to the platform's file.</summary>
    private const string Library = "glfw";

    // The first call to an import runs this constructor before the library is looked up. The event,
    // unlike an assembly's single DllImportResolver, leaves other bindings free to resolve their own.
    static Glfw() => AssemblyLoadContext.GetLoadContext(typeof(Glfw).Assembly)!.ResolvingUnmanagedDll += Resolve;

    /// <summary>The platform's GLFW for <see cref="Library"/>, 0 for other names (someone else's to resolve).</summary>
    /// <exception cref="DllNotFoundException">GLFW is not installed; the message says how to install it.</exception>
    internal static nint Resolve(Assembly assembly, string name)
    {
        if (name != Library)
        {
            return 0;
        }

        foreach (string candidate in Candidates())
        {
            if (NativeLibrary.TryLoad(candidate, assembly, null, out nint handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(NotInstalled);
    }

    // Homebrew's library folders are tried by path: dlopen's default search leaves out
    // /opt/homebrew/lib (Apple silicon), and reaches /usr/local/lib (Intel) only as a fallback.
    private static string[] Candidates() =>
        OperatingSystem.IsWindows() ? ["glfw3.dll"]
        : OperatingSystem.IsMacOS() ? ["libglfw.3.dylib", "/opt/homebrew/lib/libglfw.3.dylib", "/usr/local/lib/libglfw.3.dylib"]
        : ["libglfw.so.3"];

    /// <summary>Why the live view cannot open, and how to install GLFW on this platform.</summary>
    public static string NotInstalled =>
        OperatingSystem.IsWindows()
            ? "GLFW is not installed: glfw3.dll was not found next to the program or on PATH (get the 64-bit Windows binaries from https://www.glfw.org/download.html and copy lib-vc2022/glfw3.dll there, or `vcpkg install glfw3`)"
            : OperatingSystem.IsMacOS()
                ? "GLFW is not installed: libglfw.3.dylib was not found (`brew install glfw`)"
                : "GLFW is not installed: libglfw.so.3 was not found (Debian/Ubuntu: `apt-get install libglfw3`; Fedora: `dnf install glfw`; Arch: `pacman -S glfw`)";

    public const int TRUE = 1, FALSE = 0;
    public const int CLIENT_API = 0x00022001, NO_API = 0, RESIZABLE = 0x00020003;
    public const int RELEASE = 0, PRESS = 1, REPEAT = 2;
    public const int MOUSE_BUTTON_LEFT = 0;
    public const int KEY_SPACE = 32, KEY_ESCAPE = 256, KEY_KP_SUBTRACT = 333, KEY_KP_ADD = 334;
    public const int NO_ERROR = 0;

    [DllImport(Library)] public static extern int glfwInit();
    [DllImport(Library)] public static extern void glfwTerminate();
    [DllImport(Library)] public static extern int glfwGetError(byte** description);
    [DllImport(Library)] public static extern int glfwVulkanSupported();
    [DllImport(Library)] public static extern byte** glfwGetRequiredInstanceExtensions(uint* count);
    [DllImport(Library)] public static extern int glfwGetPhysicalDevicePresentationSupport(nint instance, nint physicalDevice, uint family);
    [DllImport(Library)] public static extern void glfwWindowHint(int hint, int value);
    [DllImport(Library)] public static extern nint glfwCreateWindow(int width, int height, byte* title, nint monitor, nint share);
    [DllImport(Library)] public static extern void glfwDestroyWindow(nint window);
    [DllImport(Library)] public static extern int glfwCreateWindowSurface(nint instance, nint window, void* allocator, ulong* surface);
    [DllImport(Library)] public static extern int glfwWindowShouldClose(nint window);
    [DllImport(Library)] public static extern void glfwPollEvents();
    [DllImport(Library)] public static extern void glfwWaitEventsTimeout(double seconds);
    [DllImport(Library)] public static extern void glfwGetFramebufferSize(nint window, int* width, int* height);
    [DllImport(Library)] public static extern void glfwGetWindowSize(nint window, int* width, int* height);
    [DllImport(Library)] public static extern void glfwGetWindowPos(nint window, int* x, int* y);
    [DllImport(Library)] public static extern void glfwSetWindowSize(nint window, int width, int height);
    [DllImport(Library)] public static extern void glfwSetWindowTitle(nint window, byte* title);
    [DllImport(Library)] public static extern void glfwSetWindowUserPointer(nint window, nint pointer);
    [DllImport(Library)] public static extern nint glfwGetWindowUserPointer(nint window);
    [DllImport(Library)] public static extern nint glfwSetKeyCallback(nint window, delegate* unmanaged<nint, int, int, int, int, void> callback);
    [DllImport(Library)] public static extern nint glfwSetCharCallback(nint window, delegate* unmanaged<nint, uint, void> callback);
    [DllImport(Library)] public static extern nint glfwSetCursorPosCallback(nint window, delegate* unmanaged<nint, double, double, void> callback);
    [DllImport(Library)] public static extern nint glfwSetMouseButtonCallback(nint window, delegate* unmanaged<nint, int, int, int, void> callback);
    [DllImport(Library)] public static extern nint glfwSetScrollCallback(nint window, delegate* unmanaged<nint, double, double, void> callback);

    /// <summary>The description of GLFW's last error, or null when there was none.</summary>
    public static string? LastError()
    {
        byte* description;
        return glfwGetError(&description) == NO_ERROR ? null : Marshal.PtrToStringUTF8((nint)description);
    }
}
