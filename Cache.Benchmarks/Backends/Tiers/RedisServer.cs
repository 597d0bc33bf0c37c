using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>A local redis-server on a free loopback port, without persistence, stopped by its PID on dispose.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    public RedisServer()
    {
        Port = FreePort();
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed. Install it: apt-get install -y redis-server", e);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Accepts(Port))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException($"redis-server did not start on port {Port}.");
            Thread.Sleep(20);
        }
    }

    public int Port { get; }

    public string Location => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
