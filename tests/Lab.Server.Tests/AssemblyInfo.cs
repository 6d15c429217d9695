// Real processes on a 2-core machine: one test at a time, so no test starves another's server.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
