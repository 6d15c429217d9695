using Lab.Server.Hosting;

return await LabHost.RunAsync(args);
