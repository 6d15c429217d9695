namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// <see cref="Count"/> threads with the same stack. <see cref="Frames"/> innermost first, as <c>Namespace.Type.Method</c>;
/// <see cref="Headline"/> names the innermost frame, the last framework frame before the application's code (the API it
/// blocked in: Task.Wait, HttpClient.Send…) and the first frame of the application's own code.
/// </summary>
public sealed record StackGroup(int Count, IReadOnlyList<string> Frames, string Headline, int FirstUserFrame);
