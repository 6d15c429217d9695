// The shape of the official "debug thread-pool starvation" sample: the same 500 ms of waiting, awaited, blocked on
// with Task.Wait (which the pool notices and compensates for), and blocked on with Thread.Sleep (which it does not).
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "peer app");
app.MapGet("/async", async (int delayMs) =>
{
    await Task.Delay(delayMs);
    return "ok";
});
app.MapGet("/taskwait", (int delayMs) =>
{
    Task.Delay(delayMs).Wait();
    return "ok";
});
app.MapGet("/sleep", (int delayMs) =>
{
    Thread.Sleep(delayMs);
    return "ok";
});
// Not part of the sample: lets the lab's tests see that a scenario's target.env (and a variant's env) reached the
// process — 200 when PEER_GREETING is what the caller expects, 409 when it is not.
app.MapGet("/greeting", (string expect) => Environment.GetEnvironmentVariable("PEER_GREETING") is var greeting && greeting == expect
    ? Results.Text(greeting)
    : Results.Conflict($"PEER_GREETING is \"{greeting}\", not \"{expect}\""));
app.Run();
