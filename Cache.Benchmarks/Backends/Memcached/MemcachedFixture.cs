using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Memcached;

namespace FunctionalCache.Benchmarks.Backends.Memcached;

/// <summary>
/// One local memcached process (started here on a free loopback port, stopped by its PID on dispose),
/// a <see cref="MemcachedCache"/> on it holding 100 keys, and the naive baseline: memcached's classic text
/// protocol (<c>get</c>/<c>set</c>) over one blocking socket.
/// </summary>
internal sealed class MemcachedFixture : IDisposable
{
    private readonly Process _server;
    private readonly Socket _naive;
    private readonly byte[] _buffer = new byte[64 * 1024];

    public MemcachedFixture()
    {
        var port = FreePort();
        var info = new ProcessStartInfo("memcached") { UseShellExecute = false };
        foreach (var a in new[] { "-p", port.ToString(), "-l", "127.0.0.1", "-U", "0", "-m", "64", "-t", "2" }) info.ArgumentList.Add(a);
        if (Environment.UserName == "root") { info.ArgumentList.Add("-u"); info.ArgumentList.Add("root"); }
        try
        {
            _server = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("memcached is not installed. Install it: apt-get install -y memcached", e);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Accepts(port))
        {
            if (DateTime.UtcNow > deadline || _server.HasExited) throw new InvalidOperationException($"memcached did not start on port {port}.");
            Thread.Sleep(20);
        }
        Cache = new MemcachedCache(MemcachedOptions.Parse($"127.0.0.1:{port}"), CachePolicy.Default, CacheContext.Default);
        Keys = Enumerable.Range(0, 100).Select(i => $"bench:{i}").ToArray();
        foreach (var key in Keys) Cache.SetAsync(key, "value of " + key).GetAwaiter().GetResult();
        _naive = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _naive.Connect(IPAddress.Loopback, port);
    }

    public MemcachedCache Cache { get; }

    /// <summary>100 keys present in the cache.</summary>
    public string[] Keys { get; }

    /// <summary>The naive baseline's <c>get</c>: the value's length, or -1 on a miss.</summary>
    public int NaiveGet(string madeKey)
    {
        _naive.Send(Encoding.ASCII.GetBytes("get " + madeKey + "\r\n"));
        return ReadUntilEnd("END\r\n"u8);
    }

    /// <summary>The naive baseline's <c>set</c>.</summary>
    public void NaiveSet(string madeKey, byte[] value)
    {
        var head = Encoding.ASCII.GetBytes($"set {madeKey} 0 300 {value.Length}\r\n");
        _naive.Send([.. head, .. value, .. "\r\n"u8]);
        ReadUntilEnd("STORED\r\n"u8);
    }

    private int ReadUntilEnd(ReadOnlySpan<byte> end)
    {
        var filled = 0;
        while (true)
        {
            filled += _naive.Receive(_buffer, filled, _buffer.Length - filled, SocketFlags.None);
            if (filled >= end.Length && _buffer.AsSpan(filled - end.Length, end.Length).SequenceEqual(end)) return filled;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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

    public void Dispose()
    {
        _naive.Dispose();
        Cache.Dispose();
        if (!_server.HasExited)
        {
            _server.Kill();
            _server.WaitForExit(10_000);
        }
        _server.Dispose();
    }
}
