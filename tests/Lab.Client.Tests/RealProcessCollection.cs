using Lab.Testing;

namespace Lab.Client.Tests;

/// <summary>Tests that start servers or measure timing: they hold the machine-wide test lock while they run.</summary>
[CollectionDefinition(Name)]
public sealed class RealProcessCollection : ICollectionFixture<RealProcessCollection.Lock>
{
    public const string Name = "real processes";

    public sealed class Lock : IAsyncLifetime
    {
        private MachineLock? _lock;

        public async Task InitializeAsync() => _lock = await MachineLock.AcquireAsync(TimeSpan.FromMinutes(10));

        public Task DisposeAsync()
        {
            _lock?.Dispose();
            return Task.CompletedTask;
        }
    }
}
