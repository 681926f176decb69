namespace Modulus.Publishing;

/// <summary>What a publish produced. <see cref="UpToDate"/> says nothing was rebuilt.</summary>
public sealed record PublishResult(ImageReport Report, string ReportPath, bool UpToDate);
