var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

// The run image's start sets the port from PORT (the platform's supervisor.conf) and runs the
// app from its own folder, so appsettings.json is read.
app.MapGet("/", (IConfiguration configuration) => Results.Ok(new { greeting = configuration["Greeting"] }));

app.Run();
