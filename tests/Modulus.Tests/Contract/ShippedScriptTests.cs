using System.Text.RegularExpressions;
using Modulus.Contract;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// What images ship reads no test switch: a variable that moves init's, the listener's or start's
/// folders would let whoever sets a container's environment point them at files the app writes.
/// Tests get their own copies instead (<see cref="ScriptHost"/>, <see cref="ScriptCopy"/>).
/// </summary>
public partial class ShippedScriptTests
{
    public static IEnumerable<TestCaseData> ContractFiles()
    {
        var baseView = new RunImageFixture().BaseViewForScripts();
        foreach (var (start, label) in new[] { (StartSpec.FromCommand("node server.js"), "a start command"), (StartSpec.Generic, "the generic start") })
        {
            foreach (var entry in ContractLayer.Generate(RunImageStandard.Default, start, baseView).OfType<FileEntry>())
                yield return new TestCaseData(entry.Path.Value, RunImageFixture.ReadText(entry)).SetName($"The contract layer's {entry.Path.Value} with {label} reads no test switch");
        }
    }

    [TestCaseSource(nameof(ContractFiles))]
    public void A_contract_file_reads_no_test_switch(string path, string text)
    {
        TestSwitch().Matches(text).Select(m => m.Value).ShouldBeEmpty(path);
        if (text.StartsWith("#!/usr/bin/python3", StringComparison.Ordinal))
            EnvironmentRead().Matches(text).Select(m => m.Value).ShouldBeEmpty($"{path} takes every value from its generation, none from its environment");
    }

    public static IEnumerable<TestCaseData> ImageStartScripts() =>
        Directory.GetFiles(RepoPaths.Combine("images"), "start", SearchOption.AllDirectories).Order()
            .Select(path => new TestCaseData(Path.GetRelativePath(RepoPaths.Root, path)).SetName($"{Path.GetRelativePath(RepoPaths.Root, path)} reads no test switch"));

    [TestCaseSource(nameof(ImageStartScripts))]
    public void An_image_start_script_reads_no_test_switch(string path)
    {
        TestSwitch().Matches(File.ReadAllText(RepoPaths.Combine(path))).Select(m => m.Value).ShouldBeEmpty(path);
    }

    [Test]
    public void The_images_with_a_start_script_are_all_checked()
    {
        ImageStartScripts().Count().ShouldBeGreaterThanOrEqualTo(2, "images/node/start and images/dotnet/start at least");
    }

    /// <summary>The switches the scripts once read, and any name of the MODULUS_TEST family.</summary>
    [GeneratedRegex(@"MODULUS_TEST\w*|MODULUS_APP_DIR|MODULUS_NODE_DIR")]
    private static partial Regex TestSwitch();

    /// <summary>Reading a variable; passing the whole environment on to a child (os.environ alone) is no read.</summary>
    [GeneratedRegex(@"os\.environ\s*(\.get|\[)|os\.getenv|getenv\(")]
    private static partial Regex EnvironmentRead();
}
