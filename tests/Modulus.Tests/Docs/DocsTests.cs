using System.Text.RegularExpressions;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Docs;

/// <summary>What a reader of the documentation relies on: every public name of the SDK is described, and every document it points at is in the repository.</summary>
public class DocsTests
{
    private static readonly string[] SdkFiles = [RepoPaths.Combine("src", "Modulus.Sdk", "Sdk", "Sdk.props"), RepoPaths.Combine("src", "Modulus.Sdk", "Sdk", "Sdk.targets")];

    /// <summary>
    /// The properties and items the SDK reads or sets: $(Name), @(Name) and the outputs of tasks.
    /// Metadata and names starting with '_' are private.
    /// </summary>
    private static IEnumerable<string> PublicSdkNames() => SdkFiles
        .SelectMany(f => Regex.Matches(File.ReadAllText(f), "(?:[$@]\\(|(?:Item|Property)Name=\")((?:Modulus|Container)[A-Za-z]+)"))
        .Select(m => m.Groups[1].Value)
        .Distinct()
        .Order(StringComparer.Ordinal);

    [Test]
    public void Every_public_property_and_item_of_the_SDK_is_in_docs_sdk_md()
    {
        var doc = File.ReadAllText(RepoPaths.Combine("docs", "sdk.md"));

        PublicSdkNames().Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal))
            .ShouldBeEmpty("properties and items of Sdk.props/Sdk.targets missing from docs/sdk.md");
    }

    private static IEnumerable<string> Documents() =>
        new[] { "README.md", "src/Modulus.Sdk/README.md", "bench/README.md" }.Select(p => RepoPaths.Combine(p.Split('/')))
            .Concat(Directory.EnumerateFiles(RepoPaths.Combine("docs"), "*.md"))
            .Concat(Directory.EnumerateFiles(RepoPaths.Combine("images"), "README.md", SearchOption.AllDirectories))
            .Concat(Directory.Exists(RepoPaths.Combine("templates")) ? Directory.EnumerateFiles(RepoPaths.Combine("templates"), "*.md", SearchOption.AllDirectories) : [])
            .Where(File.Exists);

    [Test]
    public void Documents_name_other_documents_by_links_inside_the_repository()
    {
        var outside = new List<string>();
        foreach (var document in Documents())
        {
            var text = File.ReadAllText(document);
            var relative = Path.GetRelativePath(RepoPaths.Root, document);
            // An absolute path to a document names a file of one machine, not of the repository.
            foreach (Match m in Regex.Matches(text, @"(?:^|[\s`(])(/[\w.-]+(?:/[\w.-]+)*\.md)\b", RegexOptions.Multiline))
                outside.Add($"{relative}: {m.Groups[1].Value}");
            foreach (Match m in Regex.Matches(text, @"\]\(([^)#:\s]+)(?:#[^)]*)?\)"))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, m.Groups[1].Value));
                if (!target.StartsWith(RepoPaths.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !Path.Exists(target))
                    outside.Add($"{relative}: ({m.Groups[1].Value})");
            }
        }

        outside.ShouldBeEmpty("documents must link to files in the repository");
    }
}
