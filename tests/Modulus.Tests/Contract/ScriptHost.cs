using System.Diagnostics;
using System.Text;
using Modulus.Contract;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// Installs the generated scripts of a run image into a temp folder that stands in for the image
/// root and runs them on this machine. my_init and modulus-notify are generated again with that
/// root before their paths (the images read no switch that could move them), after checking that
/// without it they are byte for byte the layer's.
/// </summary>
public sealed class ScriptHost : IDisposable
{
    private readonly TempDirectory _root = new("contract");

    /// <param name="standard">The standard to generate with; the default when null.</param>
    /// <param name="start">Makes the start spec from the host root, so that its working directory can lie inside it.</param>
    public ScriptHost(RunImageStandard? standard = null, Func<string, StartSpec>? start = null)
    {
        Standard = standard ?? RunImageStandard.Default;
        Entries = ContractLayer.Generate(Standard, start?.Invoke(Root) ?? StartSpec.FromCommand("true"), new RunImageFixture().BaseViewForScripts());
    }

    /// <summary>The interpreter the generated Python scripts name on their #! line; they are run through it, as in the image.</summary>
    public static string RequirePython() => Tools.Require("/usr/bin/python3");

    public RunImageStandard Standard { get; }

    public IReadOnlyList<LayerEntry> Entries { get; }

    public string Root => _root.Path;

    /// <summary>The host path that stands for <paramref name="imagePath"/>.</summary>
    public string HostPath(string imagePath) => _root.Path + imagePath;

    /// <summary>Writes the generated file named <paramref name="name"/> at its image path (under the root) with its mode.</summary>
    public string Install(string name, Func<string, string>? edit = null)
    {
        var entry = (FileEntry)Entries.Single(e => e.Path.Name == name && e is FileEntry);
        var text = RunImageFixture.ReadText(entry);
        if (GeneratedWithRoot.TryGetValue(name, out var generate))
        {
            generate(Standard, "").ShouldBe(text, $"the layer's {name} is the script generated without a root");
            text = generate(Standard, Root);
        }
        return WriteFile(entry.Path.Value, edit is null ? text : edit(text), (UnixFileMode)entry.Mode);
    }

    /// <summary>The scripts whose paths are fixed when they are generated, by the generator that takes a root.</summary>
    private static readonly Dictionary<string, Func<RunImageStandard, string, string>> GeneratedWithRoot = new()
    {
        ["my_init"] = ScriptTemplates.MyInit,
        ["modulus-notify"] = ScriptTemplates.Notifier,
    };

    public string WriteFile(string imagePath, string text, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var path = HostPath(imagePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
        return path;
    }

    public string CreateDirectory(string imagePath) => Directory.CreateDirectory(HostPath(imagePath)).FullName;

    /// <summary>Makes every folder of the volume that my_init checks before it starts supervision.</summary>
    public void CreateVolume()
    {
        foreach (var folder in Standard.VolumeFolders) CreateDirectory(folder.Value);
    }

    /// <summary>Rewrites the image's absolute paths in a generated text so that they point into the root.</summary>
    public string Rooted(string text) =>
        text.Replace("/mnt/", Root + "/mnt/", StringComparison.Ordinal).Replace("/opt/modulus/", Root + "/opt/modulus/", StringComparison.Ordinal);

    public Dictionary<string, string?> Environment(string? path = null) => new()
    {
        ["PATH"] = path ?? System.Environment.GetEnvironmentVariable("PATH"),
    };

    public void Dispose() => _root.Dispose();

    /// <summary>Runs a program with <paramref name="input"/> on stdin (then closed) and waits for it.</summary>
    public static Tools.Result RunWithInput(string fileName, IEnumerable<string> arguments, string input, IReadOnlyDictionary<string, string?> environment)
    {
        using var process = Start(fileName, arguments, environment);
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} did not finish within 30 s");
        }
        process.WaitForExit();
        return new Tools.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"Waited {timeout.TotalSeconds} s for {what()}");
            Thread.Sleep(100);
        }
    }
}
