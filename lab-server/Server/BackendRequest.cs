using System.Globalization;
using Lab.Server.Http;

namespace Lab.Server.Server;

/// <summary>One call to the backend: which list, how slow, how many items. Forwarded as a query.</summary>
public sealed record BackendRequest(string Kind, DelaySpec Delay, int Items)
{
    public string PathAndQuery => string.Create(CultureInfo.InvariantCulture, $"/{Kind}?delayMs={Delay}&items={Items}");
}
