namespace Lab.Testing;

/// <summary>
/// A network interface's byte counters as the kernel keeps them (<c>ip -s link</c>: whole frames, Ethernet
/// header included), seen from the namespace the interface is in: received and sent.
/// </summary>
public readonly record struct InterfaceBytes(long ReceivedBytes, long SentBytes)
{
    public long TotalBytes => ReceivedBytes + SentBytes;

    /// <summary>What crossed between two readings.</summary>
    public static InterfaceBytes operator -(InterfaceBytes after, InterfaceBytes before) =>
        new(after.ReceivedBytes - before.ReceivedBytes, after.SentBytes - before.SentBytes);

    public static InterfaceBytes Subtract(InterfaceBytes after, InterfaceBytes before) => after - before;
}
