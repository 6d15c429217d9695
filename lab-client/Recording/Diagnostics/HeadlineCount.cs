namespace Lab.Client.Recording.Diagnostics;

/// <summary><see cref="Count"/> threads waiting at <see cref="Headline"/> (see <see cref="StackGroup.Headline"/>).</summary>
public sealed record HeadlineCount(string Headline, int Count);
