using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Plots;
using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// The viewer's picture, drawn by compute shaders into a frame tensor from the model's own tensors:
/// nothing is read back to draw it. Two recorded sequences, replayed on the training queue between
/// training chunks (each starts with a barrier against earlier queue work, so they need no other
/// synchronisation with training):
/// - the model panels, refreshed every so often: test inputs and their reconstructions (from the
///   posterior mean for a VAE), the scatter of test-set means (codes for an autoencoder) and the
///   decoded latent grid. A 2-D VAE's latent is shown as it is; any other latent (wider, or an
///   autoencoder's code, which has no prior to centre it) on the two principal axes of the
///   scatter's codes (<see cref="PrincipalAxes"/>), computed afresh at each refresh, with the grid
///   around their mean in steps of their spread along the first;
/// - the overlay, every frame: text lines and loss curves;
/// - the latent point under the mouse decoded large, when it moves and when the model panels are.
/// The host only uploads small inputs: character codes, curve pixels, the grid's and the hovered point's (a, b, 1), the scatter's view.
/// A conditional VAE encodes each test image with its label; its grid decodes row k as class k (modulo the classes), as
/// samples_by_class.png gives each class a row, and the point under the mouse as its row's class.
/// A window copies the frame into its swapchain; a snapshot downloads it.
/// </summary>
internal sealed class ViewerFrame : IDisposable
{
    public const string HelpLine = "mouse over the grid: decode that point   drag: pan   wheel: zoom   R: reset view";
    public const string KeysLine = "space: pause/resume  S: save PNG  +/-: KL weight  Esc: stop and save";

    /// <summary>An autoencoder has no KL weight: its keys without + and -.</summary>
    public const string AutoencoderKeysLine = "space: pause/resume  S: save PNG  Esc: stop and save";

    /// <summary>
    /// Pixels of the test images in the scatter, which are encoded at every refresh: 2,000 MNIST
    /// digits, enough to see the classes, few enough to refresh often. A dense encoder's cost grows
    /// with the image, so larger images are fewer: 127 64 x 64 RGB faces.
    /// </summary>
    public const int ScatterPixels = 2000 * 784;

    private readonly Gpu _gpu;
    private readonly Autoencoder _model;
    private readonly DeviceDataset _test;
    private readonly TrainingState _state;
    private readonly Tensor _batch;
    private readonly Tensor _glyphs;
    private readonly Tensor _text;
    private readonly Tensor _curves;
    private readonly Tensor _palette;
    private readonly Tensor[] _gridCoordinates;
    private readonly Tensor[] _gridCodes;
    private readonly Tensor? _hoverCoordinates;
    private readonly Tensor? _hoverCode;
    private readonly Tensor[] _gridClasses = [];
    private readonly Tensor? _hoverClass;
    private readonly Tensor? _codes;
    private readonly PrincipalAxes? _principalAxes;
    private readonly Tensor? _identityAxes;
    private readonly Tensor? _scatterOwner;
    private readonly Tensor? _scatterView;
    private readonly Tensor? _labels;
    private readonly Tensor? _classKey;
    private readonly int _classKeyRows;
    private readonly Sequence _modelPanels;
    private readonly Sequence _overlay;
    private readonly Sequence? _hoverPanel;
    private (float X, float Y)? _drawnHover;
    private readonly List<Submission> _inFlight = [];
    private int _uploadedWindowVersion = -1;

    public ViewerFrame(Gpu gpu, Autoencoder model, DeviceDataset test, FramePixelFormat format)
    {
        _gpu = gpu;
        _model = model;
        _test = test;
        Target = new FrameTarget(gpu.CreateTensor("viewer.frame", ViewerLayout.Width * ViewerLayout.Height), ViewerLayout.Width, ViewerLayout.Height, format);
        Window = new LatentWindow(ViewerLayout.GridCells(test.Source.Height, test.Source.Width));
        Hover = (0, 0);
        _state = new TrainingState(gpu);
        _batch = gpu.CreateTensor("viewer.batch", (long)model.MaxRows * model.Features);
        _glyphs = gpu.CreateTensor("viewer.glyphs", TextPanel.GlyphTable().Length);
        _glyphs.Upload<uint>(TextPanel.GlyphTable());
        _text = gpu.CreateTensor("viewer.text", Enum.GetValues<ViewerLayout.Line>().Length * ViewerLayout.TextCapacity);
        _curves = gpu.CreateTensor("viewer.curves", CurvePanel.TensorLength(2, Curves.Capacity));
        _palette = gpu.CreateTensor("viewer.palette", Palette.Tab10.Count);
        _palette.Upload<uint>(Palette.Tab10.Select(c => format.Pack(c)).ToArray());
        gpu.Run(r => r.Fill(Target.Pixels, format.Pack(ViewerLayout.Background)));

        if (HasLatentViews)
        {
            int cells = Window.Size * Window.Size;
            var chunks = Enumerable.Range(0, (cells + model.MaxRows - 1) / model.MaxRows).Select(k => (Index: k, Rows: Math.Min(model.MaxRows, cells - k * model.MaxRows)));
            _gridCoordinates = chunks.Select(c => gpu.CreateTensor($"viewer.grid_coordinates{c.Index}", (long)c.Rows * PrincipalAxes.DecodingRows)).ToArray();
            _gridCodes = chunks.Select(c => gpu.CreateTensor($"viewer.grid_codes{c.Index}", (long)c.Rows * model.CodeSize)).ToArray();
            _hoverCoordinates = gpu.CreateTensor("viewer.hover_coordinates", PrincipalAxes.DecodingRows);
            _hoverCode = gpu.CreateTensor("viewer.hover_code", model.CodeSize);
            if (model.ConditionClasses is int classes)
            {
                _gridClasses = chunks.Select(c => gpu.CreateTensor($"viewer.grid_classes{c.Index}", c.Rows)).ToArray();
                foreach (var (chunk, tensor) in chunks.Zip(_gridClasses))
                    tensor.Upload<float>(Enumerable.Range(chunk.Index * model.MaxRows, chunk.Rows).Select(cell => (float)(cell / Window.Size % classes)).ToArray());
                _hoverClass = gpu.CreateTensor("viewer.hover_class", 1);
            }
            _codes = gpu.CreateTensor("viewer.codes", (long)ScatterCount * model.CodeSize);
            if (OnPrincipalAxes) _principalAxes = new PrincipalAxes(gpu, ScatterCount, model.CodeSize);
            else _identityAxes = gpu.CreateTensor("viewer.identity_axes", PrincipalAxes.Identity);
            var scatter = ViewerLayout.Scatter;
            _scatterOwner = gpu.CreateTensor("viewer.scatter_owner", scatter.Width * scatter.Height);
            _scatterView = gpu.CreateTensor("viewer.scatter_view", 3);
            _labels = gpu.CreateTensor("viewer.labels", ScatterCount);
            _labels.Upload<uint>(Enumerable.Range(0, ScatterCount).Select(i => (uint)(test.Source.Labels?[i] ?? 0)).ToArray());
            if (test.Source.Labels is not null)
            {
                var key = ScatterPanel.KeyRows(Enumerable.Range(0, test.Source.ClassCount).Select(test.Source.ClassName).ToArray(), Palette.Tab10.Count,
                    ViewerLayout.ClassKeyLength);
                _classKeyRows = key.Length;
                _classKey = gpu.CreateTensor("viewer.class_key", (long)key.Length * ViewerLayout.ClassKeyLength);
                _classKey.Upload<uint>(key.SelectMany(row => TextPanel.Encode(row, ViewerLayout.ClassKeyLength)).ToArray());
            }
        }
        else _gridCoordinates = _gridCodes = [];
        UploadWindow();
        _modelPanels = Sequence.Record(gpu, "viewer model panels", RecordModelPanels);
        _overlay = Sequence.Record(gpu, "viewer overlay", RecordOverlay);
        _hoverPanel = HasLatentViews ? Sequence.Record(gpu, "viewer hover", RecordHover) : null;
    }

    public FrameTarget Target { get; }
    public LatentWindow Window { get; }
    public LossCurves Curves { get; } = new(capacity: 256);

    /// <summary>The test loss (series 1) comes once per epoch: square markers keep a single epoch visible.</summary>
    private static readonly CurveStyle LossCurveStyle = new(Background: 0, MarkedSeries: 0b10, MarkerRadius: 2);

    /// <summary>The latent point shown large, in the grid's coordinates (see <see cref="OnPrincipalAxes"/>).</summary>
    public (float X, float Y) Hover { get; set; }

    public Autoencoder Model => _model;

    /// <summary>The scatter, the grid and the point under the mouse: for a latent of 2 to <see cref="PrincipalAxes.MaxDimension"/> numbers.</summary>
    public bool HasLatentViews => _model.CodeSize >= 2 && _model.CodeSize <= PrincipalAxes.MaxDimension && ScatterCount >= 2;

    /// <summary>
    /// Whether the latent views show the codes on their principal axes (a, b in spreads along the
    /// first, around the mean); otherwise, for a 2-D VAE, as they are (z0, z1).
    /// </summary>
    public bool OnPrincipalAxes => !(_model.IsVariational && _model.CodeSize == 2);

    /// <summary>[5, d]: the axes the latent views were last drawn on (see <see cref="PrincipalAxes"/>); null without latent views.</summary>
    public Tensor? Axes => _principalAxes?.Axes ?? _identityAxes;
    private int ScatterCount => Math.Min(_test.Count, Math.Max(2, ScatterPixels / _model.Features));
    private int ShownImages => Math.Min(RunPictures.ReconstructionCount, Math.Min(_test.Count, _model.MaxRows));
    private Data.ImageDataset Shape => _test.Source;

    /// <summary>The model's pixel values that show as black and white.</summary>
    private (float Low, float High) BlackAndWhite => _model.Spec.Range == PixelRange.Symmetric ? (-1f, 1f) : (0f, 1f);

    /// <summary>
    /// Submits a frame: the model panels when <paramref name="refreshModel"/> (or when the latent
    /// window moved), then the overlay. <paramref name="text"/> gives the caller's lines (status...)
    /// over the panels' own (<see cref="PanelText"/>). Waits for the previous frame first, since the uploads reuse its inputs.
    /// </summary>
    public void Render(IReadOnlyDictionary<ViewerLayout.Line, string> text, double epochs, bool refreshModel)
    {
        WaitForFrame();
        var merged = PanelText(epochs);
        foreach (var (line, value) in text) merged[line] = value;
        var lines = Enum.GetValues<ViewerLayout.Line>().SelectMany(line => TextPanel.Encode(merged.GetValueOrDefault(line, ""), ViewerLayout.TextCapacity));
        _text.Upload<uint>(lines.ToArray());
        _curves.Upload<int>(CurvePanel.Pack(Curves.Pixels(ViewerLayout.LossChart, epochs, LossCurveStyle.MarkerRadius), Curves.Capacity));
        if (Window.Version != _uploadedWindowVersion)
        {
            UploadWindow();
            refreshModel = true;
        }
        if (refreshModel) _inFlight.Add(_modelPanels.Submit());
        _inFlight.Add(_overlay.Submit());
        if (_hoverPanel is not null && (refreshModel || _drawnHover != Hover))
        {
            _hoverCoordinates!.Upload<float>(PrincipalAxes.Coordinates([Hover.X, Hover.Y]));
            _hoverClass?.Upload<float>([HoverClass]);
            _inFlight.Add(_hoverPanel.Submit());
            _drawnHover = Hover;
        }
    }

    public void WaitForFrame()
    {
        foreach (var submission in _inFlight) submission.Wait();
        _inFlight.Clear();
    }

    /// <summary>The last frame as an RGB picture (a download: for saving, never for drawing).</summary>
    public RasterImage Snapshot()
    {
        WaitForFrame();
        var pixels = new uint[Target.Width * Target.Height];
        Target.Pixels.Download<uint>(pixels);
        return Target.Format.ToImage(pixels, Target.Width, Target.Height);
    }

    /// <summary>The text lines that describe the panels; the loss chart spans <paramref name="epochs"/> epochs.</summary>
    public Dictionary<ViewerLayout.Line, string> PanelText(double epochs)
    {
        var text = new Dictionary<ViewerLayout.Line, string>
        {
            [ViewerLayout.Line.Losses] = _model.IsVariational ? "loss, nats/image" : "loss per pixel",
            [ViewerLayout.Line.TrainKey] = "- train/step",
            [ViewerLayout.Line.TestKey] = "o test",
            [ViewerLayout.Line.LossEpochs] = EpochAxis(Curves.EpochSpan(epochs)),
        };
        if (Curves.LossRange() is var (low, high))
        {
            text[ViewerLayout.Line.LossHigh] = $"{high:G3}".PadLeft(ViewerLayout.LossLabelLength - 1);
            text[ViewerLayout.Line.LossLow] = $"{low:G3}".PadLeft(ViewerLayout.LossLabelLength - 1);
        }
        string codes = _model.IsVariational ? "means" : "codes";
        if (HasLatentViews)
        {
            var (left, top) = Window.At(0.5, 0.5);
            var (right, bottom) = Window.At(Window.Size - 0.5, Window.Size - 0.5);
            var (x, y) = OnPrincipalAxes ? ("a", "b") : ("z0", "z1");
            // A conditional model's grid names its rows' classes, in place of words a 70-character line has no room for beside them.
            int? rowClasses = _model.ConditionClasses;
            string title = rowClasses is null ? OnPrincipalAxes ? "grid: " : "decoded grid: " : $"row k: class k mod {rowClasses}; ";
            string latent = rowClasses is null ? $", {_model.CodeSize}-D latent" : "";
            text[ViewerLayout.Line.Grid] = OnPrincipalAxes
                ? $"{title}mean + a pc1 + b pc2{latent}; a {left:F1}..{right:F1}, b {bottom:F1}..{top:F1}"
                : $"{title}z0 {left:F2} .. {right:F2}, z1 {bottom:F2} .. {top:F2}";
            text[ViewerLayout.Line.Hover] = $"{x}, {y} = {Hover.X:F2}, {Hover.Y:F2}";
            // One unit on both axes keeps the scatter's distances true (see principal_axes.comp).
            text[ViewerLayout.Line.Units] = OnPrincipalAxes ? "a, b in units of pc1's sd" : "";
            text[ViewerLayout.Line.ScatterKey] = _classKey is null ? "" : "scatter colours: classes";
            string classes = _test.Source.Labels is null ? "" : ", by class";
            text[ViewerLayout.Line.Scatter] = OnPrincipalAxes
                ? $"{codes} of {ScatterCount} test images on 2 principal axes{classes}"
                : $"{codes} of {ScatterCount} test images (z0, z1){classes}";
        }
        else
        {
            text[ViewerLayout.Line.Grid] = _model.CodeSize > PrincipalAxes.MaxDimension
                ? $"no latent views: a {_model.CodeSize}-number code (principal axes up to {PrincipalAxes.MaxDimension}-D)"
                : $"no latent views: the latent has {_model.CodeSize} dimension{(_model.CodeSize == 1 ? "" : "s")}";
        }
        if (_hoverClass is not null) text[ViewerLayout.Line.Hover] += $" as {HoverClass}";
        text[ViewerLayout.Line.Help] = HasLatentViews ? HelpLine : "";
        text[ViewerLayout.Line.Keys] = _model.IsVariational ? KeysLine : AutoencoderKeysLine;
        return text;
    }

    /// <summary>"0", "epoch" and the last epoch spread under the loss chart.</summary>
    private static string EpochAxis(double span)
    {
        const string Label = "epoch";
        string last = $"{span:0.#}";
        int width = ViewerLayout.LossEpochsLength, middle = (width - Label.Length) / 2;
        return ("0".PadRight(middle) + Label).PadRight(width - last.Length) + last;
    }

    private void UploadWindow()
    {
        var coordinates = PrincipalAxes.Coordinates(Window.GridPoints());
        for (int k = 0; k < _gridCoordinates.Length; k++)
            _gridCoordinates[k].Upload<float>(coordinates.AsSpan(k * _model.MaxRows * PrincipalAxes.DecodingRows, (int)_gridCoordinates[k].Length));
        var (left, top, pixelsPerUnit) = Window.Extent(ViewerLayout.Scatter.Width);
        _scatterView?.Upload<float>(ScatterPanel.View(left, top, pixelsPerUnit));
        _uploadedWindowVersion = Window.Version;
    }

    private void RecordModelPanels(SequenceRecorder r)
    {
        var background = Target.Format.Pack(ViewerLayout.PanelBackground);
        var shape = ViewerLayout.Reconstructions(Shape.Channels, Shape.Height, Shape.Width);
        int shown = ShownImages;
        r.Fill(_state.Tensor);
        BatchGather.Gather(r, _test.Pixels, _test.Order, _state.Tensor, _batch, shown, _model.Features, shown, _model.Spec.Range);
        RecordGatherLabels(r, shown, shown);
        RecordEncode(r, shown);
        _model.RecordDecode(r, _model.LatentPosition, shown);
        ImagePanel.Draw(r, Target, _batch, shape, ViewerLayout.ReconstructionsLeft, ViewerLayout.ReconstructionsTop, 0, shown, background, BlackAndWhite.Low, BlackAndWhite.High);
        ImagePanel.Draw(r, Target, _model.Reconstruction, shape, ViewerLayout.ReconstructionsLeft, ViewerLayout.ReconstructionsTop,
            shape.Columns, shown, background, BlackAndWhite.Low, BlackAndWhite.High);

        if (!HasLatentViews) return;
        r.Fill(_state.Tensor);
        for (int first = 0; first < ScatterCount; first += _model.MaxRows)
        {
            int rows = Math.Min(_model.MaxRows, ScatterCount - first);
            BatchGather.Gather(r, _test.Pixels, _test.Order, _state.Tensor, _batch, rows, _model.Features, _model.MaxRows, _model.Spec.Range);
            RecordGatherLabels(r, rows, _model.MaxRows);
            RecordEncode(r, rows);
            r.Copy(_model.LatentPosition.View("viewer.chunk_codes", 0, (long)rows * _model.CodeSize), _codes!, (long)first * _model.CodeSize);
            _state.RecordAdvance(r, optimizerStep: false);
        }
        _principalAxes?.Record(r, _codes!);

        var scatter = ViewerLayout.Scatter;
        r.Fill(_scatterOwner!);
        ScatterPanel.Splat(r, _codes!, Axes!, ScatterCount, _model.CodeSize, 0, _scatterView!, _scatterOwner!, scatter.Width, scatter.Height,
            ViewerLayout.ScatterRadius);
        ScatterPanel.Resolve(r, Target, _scatterOwner!, _labels!, _palette, Palette.Tab10.Count, scatter, background);
        for (int row = 0; row < _classKeyRows; row++)
        {
            var (left, top) = ViewerLayout.ClassKeyRow(row);
            TextPanel.Draw(r, Target, _glyphs, _classKey!, row * ViewerLayout.ClassKeyLength, ViewerLayout.ClassKeyLength, left, top, 1,
                Target.Format.Pack(Palette.Tab10[row]), Target.Format.Pack(ViewerLayout.Background));
        }

        var grid = ViewerLayout.Grid(Shape.Channels, Shape.Height, Shape.Width);
        var gridPanel = ViewerLayout.GridPanel(Shape.Height, Shape.Width);
        for (int k = 0; k < _gridCodes.Length; k++)
        {
            int rows = (int)(_gridCodes[k].Length / _model.CodeSize);
            PrincipalAxes.RecordDecoding(r, _gridCoordinates[k], rows, Axes!, _model.CodeSize, _gridCodes[k]);
            if (_gridClasses.Length > 0) r.Copy(_gridClasses[k], _model.Labels!);
            _model.RecordDecode(r, _gridCodes[k], rows);
            ImagePanel.Draw(r, Target, _model.Reconstruction, grid, gridPanel.Left, gridPanel.Top, k * _model.MaxRows, rows, background, BlackAndWhite.Low, BlackAndWhite.High);
        }
    }

    /// <summary>A conditional model's labels of the test images gathered into the batch (as their pixels are); nothing for others.</summary>
    private void RecordGatherLabels(SequenceRecorder r, int rows, int batchStride)
    {
        if (_model.Labels is { } labels)
            BatchGather.GatherLabels(r, _test.Labels ?? throw new ArgumentException($"{_model.Spec.Name} is conditioned on labels; {_test.Source.Name} has none"),
                _test.Order, _state.Tensor, labels, rows, batchStride);
    }

    /// <summary>The class the point under the mouse is decoded as: its grid row's (see the class summary).</summary>
    private int HoverClass => Window.RowAt(Hover.Y) % _model.ConditionClasses!.Value;

    private void RecordEncode(SequenceRecorder r, int rows)
    {
        _model.Encoder.Forward(r, _batch, rows);
        _model.Bottleneck?.Forward(r, _model.Encoder.Output, rows, _state.Tensor, NoiseStream.Viewer);
    }

    private void RecordOverlay(SequenceRecorder r)
    {
        var format = Target.Format;
        foreach (var line in Enum.GetValues<ViewerLayout.Line>())
        {
            var (left, top, scale, length) = ViewerLayout.Place(line);
            var colour = line switch
            {
                ViewerLayout.Line.Status => ViewerLayout.Text,
                ViewerLayout.Line.TrainKey => Palette.Tab10[0], // the colours of the curves' series
                ViewerLayout.Line.TestKey => Palette.Tab10[1],
                _ => ViewerLayout.DimText,
            };
            TextPanel.Draw(r, Target, _glyphs, _text, (int)line * ViewerLayout.TextCapacity, length, left, top, scale,
                format.Pack(colour), format.Pack(ViewerLayout.Background));
        }
        CurvePanel.Draw(r, Target, _curves, _palette, ViewerLayout.LossChart, 2, Curves.Capacity,
            LossCurveStyle with { Background = format.Pack(ViewerLayout.PanelBackground) });
    }

    private void RecordHover(SequenceRecorder r)
    {
        PrincipalAxes.RecordDecoding(r, _hoverCoordinates!, 1, Axes!, _model.CodeSize, _hoverCode!);
        if (_hoverClass is not null) r.Copy(_hoverClass, _model.Labels!);
        _model.RecordDecode(r, _hoverCode!, 1);
        ImagePanel.Draw(r, Target, _model.Reconstruction, ViewerLayout.Hover(Shape.Channels, Shape.Height, Shape.Width),
            ViewerLayout.HoverLeft, ViewerLayout.HoverTop, 0, 1, Target.Format.Pack(ViewerLayout.PanelBackground), BlackAndWhite.Low, BlackAndWhite.High);
    }

    public void Dispose()
    {
        WaitForFrame();
        _modelPanels.Dispose();
        _overlay.Dispose();
        _hoverPanel?.Dispose();
        _principalAxes?.Dispose();
        foreach (var tensor in _gridClasses) tensor.Dispose();
        _hoverClass?.Dispose();
        foreach (var tensor in new[] { Target.Pixels, _state.Tensor, _batch, _glyphs, _text, _curves, _palette, _hoverCoordinates, _hoverCode, _codes,
                     _identityAxes, _scatterOwner, _scatterView, _labels, _classKey }.Concat(_gridCoordinates).Concat(_gridCodes))
            tensor?.Dispose();
    }
}
