namespace Lab.Client.Claims;

/// <summary>One of the four old documents whose claims the lab tests (docs/sources.md describes each and how its address was checked).</summary>
public sealed record SourceDocument(string Id, string Title, string Publisher, string Url)
{
    public static readonly SourceDocument AspNet45 = new("S003", "Using Asynchronous Methods in ASP.NET 4.5", "Rick Anderson, Microsoft Docs (ASP.NET Web Forms)",
        "https://learn.microsoft.com/en-us/aspnet/web-forms/overview/performance-and-caching/using-asynchronous-methods-in-aspnet-45");

    public static readonly SourceDocument AsyncRequests = new("S000", "Making Asynchronous Requests", "Microsoft (.NET Framework network programming docs, archived)",
        "https://msdn.microsoft.com/en-US/library/86wf6409(v=vs.100).aspx");

    /// <summary>The lab's copy is the archived .NET Framework 3.5 edition; this is the current page for the same member.</summary>
    public static readonly SourceDocument BeginGetRequestStream = new("S001", "HttpWebRequest.BeginGetRequestStream Method", "Microsoft (.NET Framework class library reference)",
        "https://learn.microsoft.com/dotnet/api/system.net.httpwebrequest.begingetrequeststream");

    /// <summary>Not a Microsoft document: an independent author's article on the ASP.NET 2.0 model.</summary>
    public static readonly SourceDocument PageProcessing = new("S002", "Asynchronous ASP.NET Page Processing", "Peter A. Bromberg, nullskull.com",
        "http://www.nullskull.com/a/1632/asynchronous-aspnet-page-processing.aspx");

    public static readonly IReadOnlyList<SourceDocument> All = [AspNet45, AsyncRequests, BeginGetRequestStream, PageProcessing];

    public static SourceDocument? Find(string id) => All.FirstOrDefault(s => s.Id == id);
}
