using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// The rules checked in one pass over every path of the image: nothing outside the volume is
/// writable by mop, nothing ships under the volume, and setuid/setgid files are pointed out.
/// </summary>
internal static class FileSystemRules
{
    private const int SetId = 0b110_000_000_000; // 06000
    private const int Sticky = 0b001_000_000_000; // 01000
    private const int GroupWrite = 0b000_010_000;
    private const int OtherWrite = 0b000_000_010;

    /// <summary>The runtime mounts /dev, /proc and /sys over these, so what an image holds there never reaches mop.</summary>
    private static readonly UnixPath[] RuntimeMounts = [UnixPath.Parse("/dev"), UnixPath.Parse("/proc"), UnixPath.Parse("/sys")];

    public static void Check(ImageFileSystem fs, RunImageStandard s, MopIdentity mop, ContractReport report)
    {
        var writable = new List<UnixPath>();
        var sticky = new List<UnixPath>();
        var setId = new List<UnixPath>();
        var shipped = new List<UnixPath>();
        // By the view's ids: a path is made only for a node the report names (a million-path image
        // made a million nodes and strings here before).
        var volume = fs.IdOf(s.Volume);
        var mounts = RuntimeMounts.Select(fs.IdOf).ToArray();
        foreach (var node in fs.Nodes)
        {
            if (node.IsUnder(volume))
            {
                if (!node.Is(volume)) shipped.Add(node.Path);
                continue;
            }
            // A symbolic link's own mode is always 0777 and means nothing; its target is checked on its own.
            var type = node.Type;
            if (type == NodeType.Symlink || UnderAny(node, mounts)) continue;
            var (uid, gid, mode) = (node.Uid, node.Gid, node.Mode);
            if (uid == mop.Uid || ((mode & GroupWrite) != 0 && mop.Gids.Contains(gid))) writable.Add(node.Path);
            else if ((mode & OtherWrite) != 0)
            {
                if (type == NodeType.Directory && (mode & Sticky) != 0) sticky.Add(node.Path);
                else writable.Add(node.Path);
            }
            if (type is NodeType.File or NodeType.HardLink && (mode & SetId) != 0) setId.Add(node.Path);
        }
        // fs.Nodes is sorted by path, so each list already is.
        if (writable.Count > 0) report.Add(ContractRules.WritableByMop, writable, s.UserName, s.Volume, ContractReport.Describe(writable));
        if (sticky.Count > 0) report.Add(ContractRules.StickyWorldWritable, sticky, s.Volume, ContractReport.Describe(sticky), s.TempDirectory);
        if (setId.Count > 0) report.Add(ContractRules.SetuidFile, setId, ContractReport.Describe(setId));
        if (shipped.Count > 0) report.Add(ContractRules.ShippedUnderVolume, shipped, s.Volume, ContractReport.Describe(shipped));
    }

    private static bool UnderAny(ImageFileSystem.NodeInfo node, int[] folders)
    {
        foreach (var folder in folders)
            if (node.IsUnder(folder)) return true;
        return false;
    }
}
