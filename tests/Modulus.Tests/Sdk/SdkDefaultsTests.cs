using System.Globalization;
using System.Xml.Linq;
using Modulus.Contract;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// The library holds every default (<see cref="RunImageStandard"/>, <see cref="DebianRequest"/>);
/// the SDK writes the same values into properties a project may read. These tests read the
/// targets and props as XML, with no build, and hold the two together.
/// </summary>
public class SdkDefaultsTests
{
    private static readonly IReadOnlyDictionary<string, string> Written = UnsetDefaults();

    private static readonly RunImageStandard Standard = RunImageStandard.Default;

    private static readonly DebianRequest Debian = new() { Packages = [] };

    private static IEnumerable<TestCaseData> StandardDefaults()
    {
        yield return Case("ModulusUserName", Standard.UserName);
        yield return Case("ModulusUserId", Number(Standard.Uid));
        yield return Case("ModulusGroupName", Standard.GroupName);
        yield return Case("ModulusGroupId", Number(Standard.Gid));
        yield return Case("ModulusUserHome", Standard.Home.Value);
        yield return Case("ModulusUserShell", Standard.Shell.Value);
        yield return Case("ModulusUserComment", Standard.Comment);
        yield return Case("ModulusStartDirectory", Standard.StartFolder.Value);
        yield return Case("ModulusStartWorkingDirectory", Standard.AppDirectory.Value);
        yield return Case("ModulusLogMaxBytes", Standard.LogMaxBytes);
        yield return Case("ModulusLogBackups", Number(Standard.LogBackups));
        yield return Case("ModulusStopTimeout", Number(Standard.StopTimeoutSeconds));
    }

    private static IEnumerable<TestCaseData> DebianDefaults()
    {
        yield return Case("ModulusDebianSuite", Debian.Suite);
        yield return Case("ModulusDebianComponents", string.Join(';', Debian.Components));
        yield return Case("ModulusDebianRefreshLock", Boolean(Debian.RefreshLock));
        yield return Case("ModulusDebianVerifySignatures", Boolean(Debian.VerifySignatures));
        yield return Case("ModulusDebianSlim", Boolean(Debian.Slim));
    }

    private static IEnumerable<TestCaseData> CacheDefaults()
    {
        yield return Case("ModulusBlobCacheLimit", BlobCacheLimit.DefaultText);
        yield return Case("ModulusImageReport", Boolean(Modulus.Plan.ImagePlan.WritesImageReportByDefault));
    }

    [TestCaseSource(nameof(StandardDefaults))]
    [TestCaseSource(nameof(DebianDefaults))]
    [TestCaseSource(nameof(CacheDefaults))]
    public void The_SDK_writes_the_librarys_default(string property, string expected)
    {
        Written.ShouldContainKey(property, $"{property} has no default where it is unset in Sdk.props or Sdk.targets");
        Written[property].ShouldBe(expected, $"{property}: the SDK's default differs from the library's");
    }

    [Test]
    public void The_blob_cache_limits_default_text_is_its_default() => BlobCacheLimit.Parse(BlobCacheLimit.DefaultText).ShouldBe(BlobCacheLimit.Default);

    [Test]
    public void The_privileged_account_error_names_the_standards_ids() =>
        Errors.ContractAccountPrivileged.Template.ShouldContain($"({Standard.Uid} and {Standard.Gid} by default)");

    /// <summary>
    /// Each property's last value under the condition "'$(Name)' == ''" alone (the default where
    /// the project set nothing); defaults that depend on something else are the SDK's own choice.
    /// </summary>
    private static Dictionary<string, string> UnsetDefaults()
    {
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { "Sdk.props", "Sdk.targets" })
        {
            var document = XDocument.Load(RepoPaths.Combine("src", "Modulus.Sdk", "Sdk", file));
            foreach (var property in document.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup"))
                if ((string?)property.Attribute("Condition") == $"'$({property.Name.LocalName})' == ''")
                    defaults[property.Name.LocalName] = property.Value.Trim();
        }
        return defaults;
    }

    private static TestCaseData Case(string property, string expected) => new TestCaseData(property, expected).SetName($"{property} defaults to the library's {expected}");

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Boolean(bool value) => value ? "true" : "false";
}
