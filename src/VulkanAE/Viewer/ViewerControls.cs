namespace VulkanAE.Viewer;

/// <summary>
/// What the mouse and keys do, apart from any window system (so tests can drive it): the mouse over
/// the latent grid picks the point shown large, a drag pans and the wheel zooms the latent window,
/// space pauses, S saves a picture, R resets the view, + and - change the KL weight, Esc stops.
/// Positions are frame pixels.
/// </summary>
internal sealed class ViewerControls(ViewerFrame frame, PanelRect grid)
{
    /// <summary>Each wheel notch zooms by this factor.</summary>
    private const double ZoomStep = 1.25;

    private (double X, double Y)? _dragFrom;
    private (double X, double Y) _cursor;

    public bool Paused { get; private set; }
    public bool StopRequested { get; private set; }

    /// <summary>Set whenever something on screen should change before the next scheduled frame.</summary>
    public bool Changed { get; set; }

    private int _saveRequests;
    private int _klSteps;

    private double CellWidth => grid.Width / (double)frame.Window.Size;
    private double CellHeight => grid.Height / (double)frame.Window.Size;
    private (double U, double V) Cells(double x, double y) => ((x - grid.Left) / CellWidth, (y - grid.Top) / CellHeight);

    public void MouseMoved(double x, double y)
    {
        _cursor = (x, y);
        if (_dragFrom is var (fromX, fromY))
        {
            frame.Window.Pan((x - fromX) / CellWidth, (y - fromY) / CellHeight);
            _dragFrom = (x, y);
        }
        if (grid.Contains(x, y))
        {
            var (u, v) = Cells(x, y);
            frame.Hover = frame.Window.At(u, v);
        }
        Changed = true;
    }

    public void MouseButton(bool pressed) => _dragFrom = pressed && grid.Contains(_cursor.X, _cursor.Y) ? _cursor : null;

    public void Scrolled(double notches)
    {
        if (!grid.Contains(_cursor.X, _cursor.Y)) return;
        var (u, v) = Cells(_cursor.X, _cursor.Y);
        frame.Window.Zoom(Math.Pow(ZoomStep, -notches), u, v);
        Changed = true;
    }

    public void Character(uint character)
    {
        switch (char.ToLowerInvariant((char)character))
        {
            case ' ': Paused = !Paused; break;
            case 's': _saveRequests++; break;
            case 'r':
                frame.Window.Reset();
                frame.Hover = (0, 0);
                break;
            case '+' or '=': _klSteps++; break;
            case '-' or '_': _klSteps--; break;
            default: return;
        }
        Changed = true;
    }

    public void Stop() => StopRequested = true;

    /// <summary>True once per press of S.</summary>
    public bool TakeSaveRequest()
    {
        if (_saveRequests == 0) return false;
        _saveRequests--;
        return true;
    }

    /// <summary>The KL weight after the presses of + and - since the last call: steps of 0.1, never below 0.</summary>
    public float ApplyKlSteps(float weight)
    {
        float result = MathF.Max(0f, MathF.Round((weight + 0.1f * _klSteps) * 10f) / 10f);
        _klSteps = 0;
        return result;
    }
}
