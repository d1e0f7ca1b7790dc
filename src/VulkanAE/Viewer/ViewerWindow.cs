using System.Runtime.InteropServices;
using System.Text;
using Silk.NET.Vulkan;
using VulkanAE.Core;

namespace VulkanAE.Viewer;

/// <summary>
/// A GLFW window without a client API (Vulkan presents to it), forwarding its input to
/// <see cref="ViewerControls"/>. GLFW needs a display: without one <see cref="TryOpen"/> says why.
/// Everything runs on the thread that opened it (GLFW's rule for events).
/// </summary>
internal sealed unsafe class ViewerWindow : IDisposable
{
    private readonly GCHandle _self;
    private nint _window;

    private ViewerWindow(nint window)
    {
        _window = window;
        _self = GCHandle.Alloc(this);
        Glfw.glfwSetWindowUserPointer(window, GCHandle.ToIntPtr(_self));
        Glfw.glfwSetKeyCallback(window, &OnKey);
        Glfw.glfwSetCharCallback(window, &OnCharacter);
        Glfw.glfwSetCursorPosCallback(window, &OnCursor);
        Glfw.glfwSetMouseButtonCallback(window, &OnMouseButton);
        Glfw.glfwSetScrollCallback(window, &OnScroll);
    }

    /// <summary>Receives the input; set once the frame exists.</summary>
    public ViewerControls? Controls { get; set; }

    /// <summary>Opens a window of the frame's size, or returns null with the reason (no display, no GLFW, no Vulkan in GLFW).</summary>
    public static ViewerWindow? TryOpen(string title, out string reason)
    {
        try
        {
            if (Glfw.glfwInit() != Glfw.TRUE)
            {
                var display = Environment.GetEnvironmentVariable("DISPLAY");
                string why = OperatingSystem.IsLinux() && string.IsNullOrEmpty(display) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"))
                    ? "DISPLAY is not set" : Glfw.LastError() ?? "glfwInit failed";
                reason = $"no display found ({why})";
                return null;
            }
            if (Glfw.glfwVulkanSupported() != Glfw.TRUE)
            {
                reason = "GLFW found no Vulkan loader to present with";
                Glfw.glfwTerminate();
                return null;
            }
            Glfw.glfwWindowHint(Glfw.CLIENT_API, Glfw.NO_API);
            var bytes = Encoding.UTF8.GetBytes(title + "\0");
            nint window;
            fixed (byte* t = bytes) window = Glfw.glfwCreateWindow(ViewerLayout.Width, ViewerLayout.Height, t, 0, 0);
            if (window == 0)
            {
                reason = $"GLFW could not open a window: {Glfw.LastError()}";
                Glfw.glfwTerminate();
                return null;
            }
            reason = "";
            return new ViewerWindow(window);
        }
        catch (DllNotFoundException)
        {
            reason = Glfw.NotInstalled;
            return null;
        }
    }

    /// <summary>What the Vulkan device needs to present to this window's display.</summary>
    public static Presentation Presentation()
    {
        uint count;
        byte** names = Glfw.glfwGetRequiredInstanceExtensions(&count);
        var extensions = Enumerable.Range(0, (int)count).Select(i => Marshal.PtrToStringUTF8((nint)names[i])!).ToArray();
        return new Presentation(extensions, (instance, device, family) => Glfw.glfwGetPhysicalDevicePresentationSupport(instance, device, family) == Glfw.TRUE);
    }

    public SurfaceKHR CreateSurface(VulkanInstance instance)
    {
        ulong surface;
        ((Result)Glfw.glfwCreateWindowSurface(instance.Handle.Handle, _window, null, &surface)).Check("glfwCreateWindowSurface");
        return new SurfaceKHR(surface);
    }

    public bool ShouldClose => Glfw.glfwWindowShouldClose(_window) == Glfw.TRUE;

    public (int Width, int Height) FramebufferSize
    {
        get
        {
            int width, height;
            Glfw.glfwGetFramebufferSize(_window, &width, &height);
            return (width, height);
        }
    }

    /// <summary>Where the window's contents sit on the screen (what a screenshot test crops).</summary>
    public (int X, int Y) Position
    {
        get
        {
            int x, y;
            Glfw.glfwGetWindowPos(_window, &x, &y);
            return (x, y);
        }
    }

    public void SetTitle(string title)
    {
        var bytes = Encoding.UTF8.GetBytes(title + "\0");
        fixed (byte* t = bytes) Glfw.glfwSetWindowTitle(_window, t);
    }

    public static void PollEvents() => Glfw.glfwPollEvents();

    public static void WaitEvents(TimeSpan timeout) => Glfw.glfwWaitEventsTimeout(timeout.TotalSeconds);

    private static ViewerWindow From(nint window) => (ViewerWindow)GCHandle.FromIntPtr(Glfw.glfwGetWindowUserPointer(window)).Target!;

    /// <summary>Cursor positions come in window coordinates; the frame is drawn in framebuffer pixels, at <see cref="ViewerLayout.FramePlacement"/>.</summary>
    private (double X, double Y) ToFrame(double x, double y)
    {
        int windowWidth, windowHeight;
        Glfw.glfwGetWindowSize(_window, &windowWidth, &windowHeight);
        var framebuffer = FramebufferSize;
        var (fx, fy) = windowWidth > 0 && windowHeight > 0 ? (x * framebuffer.Width / windowWidth, y * framebuffer.Height / windowHeight) : (x, y);
        return ViewerLayout.ToFrame(ViewerLayout.FramePlacement(framebuffer), fx, fy);
    }

    /// <summary>Sets the window's size in screen coordinates (tests; the user resizes with the window system).</summary>
    public void Resize(int width, int height) => Glfw.glfwSetWindowSize(_window, width, height);

    [UnmanagedCallersOnly]
    private static void OnKey(nint window, int key, int scancode, int action, int mods)
    {
        if (key == Glfw.KEY_ESCAPE && action == Glfw.PRESS) From(window).Controls?.Stop();
    }

    [UnmanagedCallersOnly]
    private static void OnCharacter(nint window, uint codepoint) => From(window).Controls?.Character(codepoint);

    [UnmanagedCallersOnly]
    private static void OnCursor(nint window, double x, double y)
    {
        var self = From(window);
        var (fx, fy) = self.ToFrame(x, y);
        self.Controls?.MouseMoved(fx, fy);
    }

    [UnmanagedCallersOnly]
    private static void OnMouseButton(nint window, int button, int action, int mods)
    {
        if (button == Glfw.MOUSE_BUTTON_LEFT) From(window).Controls?.MouseButton(action == Glfw.PRESS);
    }

    [UnmanagedCallersOnly]
    private static void OnScroll(nint window, double dx, double dy) => From(window).Controls?.Scrolled(dy);

    public void Dispose()
    {
        if (_window == 0) return;
        Glfw.glfwDestroyWindow(_window);
        _window = 0;
        _self.Free();
        Glfw.glfwTerminate();
    }
}
