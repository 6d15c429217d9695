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
app.Run();
