namespace Lab.Client.Sweeps;

/// <summary>What the model is told about one cell: the schedule, the service, and the limits in force.</summary>
/// <param name="Arrivals">Intended send times (s after t0), in order: the open-model schedule, exact.</param>
/// <param name="ServiceS">How long one request holds what it holds: the backend delay times the calls, one after another.</param>
/// <param name="Style">awaiting (no thread while waiting), blocking (a pool thread for the whole call), blockingTask (blocked in Task.Wait, which the pool compensates for).</param>
/// <param name="MinThreads">The pool's minimum: threads it creates on demand without delay.</param>
/// <param name="MaxThreads">The pool's maximum.</param>
/// <param name="InjectionPerS">Threads the pool adds per second beyond the minimum while work waits (measured in a calibration run).</param>
/// <param name="Permits">Concurrency limiter permits, or null when there is no limiter.</param>
/// <param name="QueueLimit">Requests that may wait for a permit; beyond it 503.</param>
/// <param name="Connections">Outbound connections to the backend, or null for no cap.</param>
/// <param name="TimeoutS">The client gives up on a request after this long (the server does not know, and goes on).</param>
/// <param name="LoadEndS">End of the last sending phase: maxima are over the load window until it.</param>
/// <param name="ProfileS">The profile's length, for goodput over the time taken.</param>
public sealed record ModelInput(
    IReadOnlyList<double> Arrivals, double ServiceS, string Style, int MinThreads, int MaxThreads, double InjectionPerS,
    int? Permits, int QueueLimit, int? Connections, double TimeoutS, double LoadEndS, double ProfileS);

/// <summary>The model's prediction, named as the measured metrics are.</summary>
public sealed record ModelPrediction(double GoodputPerS, double LatencyP99Ms, double Share503, double ShareTimeout, double ThreadsMax, double OutstandingMax)
{
    /// <summary>2xx within the timeout, a share of the scheduled requests.</summary>
    public double ShareOk { get; init; } = double.NaN;

    /// <summary>p99 with every timed-out request counted at the timeout, as the metric latencyWithTimeouts.p99.</summary>
    public double LatencyWithTimeoutsP99Ms { get; init; } = double.NaN;

    /// <summary>Per interval of <see cref="QueueModel.Predict"/>'s bucket, at the interval's middle: 2xx/s, pool threads (blocking only), outstanding at the client.</summary>
    public IReadOnlyList<(double MidS, double OkPerS, double Threads, double Outstanding)> Series { get; init; } = [];

    public IReadOnlyDictionary<string, double> Metrics => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["throughput.mean"] = GoodputPerS,
        ["latency.p99"] = LatencyP99Ms,
        ["latencyWithTimeouts.p99"] = LatencyWithTimeoutsP99Ms,
        ["share.ok"] = ShareOk,
        ["share.503"] = Share503,
        ["share.timeout"] = ShareTimeout,
        ["threads.max"] = ThreadsMax,
        ["outstanding.max"] = OutstandingMax,
    };
}

/// <summary>
/// A first-principles model of one cell, to put beside the measurement: every request of the schedule walks through
/// the gates a real one meets, in small steps of time.
/// <list type="bullet">
/// <item>An awaiting request goes straight to the limiter (a permit, a place in its queue, or 503), then needs a
/// backend connection if they are capped, then waits the service time holding no thread. By Little's law it keeps
/// rate × service time requests in flight, and the connection cap bounds goodput at connections ÷ service time.</item>
/// <item>A blocking request first needs a pool thread — the limiter is middleware, so it runs only on one — and holds
/// it for the service time. The pool has its minimum at once, then adds threads at the measured injection rate while
/// work waits, up to its maximum; so during a burst the backlog grows by arrivals minus threads ÷ service time.</item>
/// <item>The client gives up at its timeout; the server does not know and finishes the work anyway.</item>
/// </list>
/// It leaves out what the simple picture leaves out — e.g. HttpClient.Send opening new connections on the pool, or
/// response writes waiting for a thread — and the report shows where that matters, cell by cell.
/// </summary>
public static class QueueModel
{
    private const double StepS = 0.005;

    /// <param name="input">The cell or variant.</param>
    /// <param name="bucketS">When set, the prediction also carries time series at this interval (for a run report's chart).</param>
    public static ModelPrediction Predict(ModelInput input, double? bucketS = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var blocking = input.Style != "awaiting";
        var arrivals = input.Arrivals;
        var poolQueue = new Queue<int>();     // waiting for a pool thread (blocking only)
        var permitQueue = new Queue<int>();   // waiting for a limiter permit
        var connQueue = new Queue<int>();     // waiting for a backend connection
        var finishing = new PriorityQueue<int, double>();
        var start = new double[arrivals.Count];
        var end = new double[arrivals.Count];
        var rejected = new bool[arrivals.Count];
        var permitted = new bool[arrivals.Count]; // a queued request that got its permit and now needs a thread to go on
        Array.Fill(end, double.NaN);
        double threads = input.MinThreads, threadsMax = 0;
        var threadTrace = new List<(double T, double Threads)>();
        int busyThreads = 0, permitsInUse = 0, connsInUse = 0, next = 0, done = 0;
        var horizon = input.ProfileS + input.TimeoutS * 3 + input.ServiceS * 3 + 60;

        for (var t = 0.0; t <= horizon && done < arrivals.Count; t += StepS)
        {
            // Requests whose service ended give back what they held.
            while (finishing.TryPeek(out var f, out var at) && at <= t)
            {
                finishing.Dequeue();
                end[f] = at;
                done++;
                if (blocking) busyThreads--;
                if (input.Permits is not null) permitsInUse--;
                if (input.Connections is not null) connsInUse--;
            }

            while (next < arrivals.Count && arrivals[next] <= t)
            {
                if (blocking) poolQueue.Enqueue(next);
                else Admit(next, t);
                next++;
            }

            if (blocking)
            {
                // The pool: its minimum at once; above it, the injection rate while work waits; never above its maximum.
                if (poolQueue.Count > 0 && busyThreads >= Math.Floor(threads) && threads < input.MaxThreads) threads = Math.Min(input.MaxThreads, threads + input.InjectionPerS * StepS);
                while (poolQueue.Count > 0 && busyThreads < Math.Floor(threads))
                {
                    busyThreads++;
                    var i = poolQueue.Dequeue();
                    if (permitted[i]) Connect(i, t);
                    else Admit(i, t);
                }
            }

            // A freed permit lets the oldest queued request in; a freed connection the oldest waiting one.
            while (input.Permits is { } p && permitQueue.Count > 0 && permitsInUse < p)
            {
                permitsInUse++;
                var i = permitQueue.Dequeue();
                if (blocking)
                {
                    // Its continuation needs a pool thread again, behind whatever waits there.
                    permitted[i] = true;
                    poolQueue.Enqueue(i);
                }
                else
                {
                    Connect(i, t);
                }
            }

            while (input.Connections is { } c && connQueue.Count > 0 && connsInUse < c)
            {
                connsInUse++;
                Serve(connQueue.Dequeue(), t);
            }

            if (t <= input.LoadEndS)
            {
                threadsMax = Math.Max(threadsMax, blocking ? Math.Floor(threads) : input.MinThreads);
            }

            if (bucketS is not null && (threadTrace.Count == 0 || threadTrace[^1].Threads != Math.Floor(threads))) threadTrace.Add((t, Math.Floor(threads)));
        }

        void Admit(int i, double t)
        {
            if (input.Permits is not { } p)
            {
                Connect(i, t);
            }
            else if (permitsInUse < p && permitQueue.Count == 0)
            {
                // A newcomer takes a free permit only when no one is queued: the limiter serves its queue oldest first.
                permitsInUse++;
                Connect(i, t);
            }
            else if (permitQueue.Count < input.QueueLimit)
            {
                // Waiting for a permit holds no thread (the limiter's queue is asynchronous).
                if (blocking) busyThreads--;
                permitQueue.Enqueue(i);
            }
            else
            {
                rejected[i] = true;
                end[i] = t;
                done++;
                if (blocking) busyThreads--;
            }
        }

        void Connect(int i, double t)
        {
            if (input.Connections is not { } c) Serve(i, t);
            else if (connsInUse < c && connQueue.Count == 0)
            {
                connsInUse++;
                Serve(i, t);
            }
            else connQueue.Enqueue(i);
        }

        void Serve(int i, double t)
        {
            start[i] = t;
            finishing.Enqueue(i, t + input.ServiceS);
        }

        // Outcomes as the client sees them.
        var answered = new List<double>();
        int ok = 0, r503 = 0, timeouts = 0;
        double lastAnswer = 0;
        for (var i = 0; i < arrivals.Count; i++)
        {
            var latency = end[i] - arrivals[i];
            if (rejected[i] && latency < input.TimeoutS)
            {
                r503++;
                answered.Add(latency * 1000);
            }
            else if (double.IsNaN(latency) || latency >= input.TimeoutS)
            {
                timeouts++;
            }
            else
            {
                ok++;
                answered.Add(latency * 1000);
                lastAnswer = Math.Max(lastAnswer, end[i]);
            }
        }

        answered.Sort();

        // Outstanding as the client counts it: from sending until the answer, the 503 or the client's timeout;
        // its maximum over the load window, by a sweep over those events.
        var events = new List<(double T, int Delta)>(arrivals.Count * 2);
        for (var i = 0; i < arrivals.Count; i++)
        {
            var resolved = Math.Min(double.IsNaN(end[i]) ? double.PositiveInfinity : end[i], arrivals[i] + input.TimeoutS);
            events.Add((arrivals[i], 1));
            events.Add((resolved, -1));
        }

        double outstandingMax = 0, outstanding = 0;
        foreach (var (t, delta) in events.OrderBy(e => e.T).ThenBy(e => e.Delta))
        {
            if (t > input.LoadEndS) break;
            outstanding += delta;
            outstandingMax = Math.Max(outstandingMax, outstanding);
        }

        var n = Math.Max(1, arrivals.Count);
        static double P99(List<double> sorted) => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Count) - 1, 0, sorted.Count - 1)];
        var p99 = P99(answered);
        var withTimeouts = answered.Concat(Enumerable.Repeat(input.TimeoutS * 1000, timeouts)).Order().ToList();
        // An awaiting request holds no thread while it waits, so the model says nothing about threads there.
        return new ModelPrediction(ok / Math.Max(input.ProfileS, lastAnswer), p99, (double)r503 / n, (double)timeouts / n, blocking ? threadsMax : double.NaN, outstandingMax)
        {
            LatencyWithTimeoutsP99Ms = P99(withTimeouts),
            ShareOk = (double)ok / n,
            Series = bucketS is { } b ? SeriesOf(input, end, rejected, threadTrace, b, blocking, Math.Max(input.ProfileS, lastAnswer)) : [],
        };
    }

    private static List<(double, double, double, double)> SeriesOf(ModelInput input, double[] end, bool[] rejected, List<(double T, double Threads)> threadTrace,
        double bucketS, bool blocking, double untilS)
    {
        var n = (int)Math.Ceiling(untilS / bucketS) + 1;
        var ok = new int[n];
        var delta = new int[n + 1];
        for (var i = 0; i < input.Arrivals.Count; i++)
        {
            var a = input.Arrivals[i];
            var answered = !double.IsNaN(end[i]) && end[i] - a < input.TimeoutS;
            if (answered && !rejected[i] && (int)(end[i] / bucketS) is var k && k < n) ok[k]++;
            // Outstanding at an interval's middle: sent before it, not yet answered, rejected or given up on.
            var resolved = Math.Min(double.IsNaN(end[i]) ? double.PositiveInfinity : end[i], a + input.TimeoutS);
            var from = (int)Math.Ceiling(a / bucketS - 0.5);
            var to = double.IsInfinity(resolved) ? n : (int)Math.Ceiling(resolved / bucketS - 0.5);
            if (from < n && to > from)
            {
                delta[Math.Max(0, from)]++;
                delta[Math.Min(n, to)]--;
            }
        }

        var series = new List<(double, double, double, double)>(n);
        var outstanding = 0;
        var trace = 0;
        for (var k = 0; k < n; k++)
        {
            var mid = (k + 0.5) * bucketS;
            outstanding += delta[k];
            while (trace + 1 < threadTrace.Count && threadTrace[trace + 1].T <= mid) trace++;
            var threads = blocking && threadTrace.Count > 0 ? threadTrace[trace].Threads : double.NaN;
            series.Add((mid, ok[k] / bucketS, threads, outstanding));
        }

        return series;
    }
}
