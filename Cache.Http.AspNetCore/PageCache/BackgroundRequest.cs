using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// A copy of a request that a background refresh replays through the page cache's pipeline after the request itself
/// was answered: the URL, the header fields (the page's key varies on them), the user, the endpoint routing chose and
/// its route values, the connection's addresses. Taken while the request is live, because ASP.NET Core reuses an
/// <see cref="HttpContext"/> once its response completes.
/// </summary>
/// <remarks>
/// The replay is a GET (a HEAD is answered as its GET), with an empty body, its own service scope, no response to a
/// client (its body is dropped once the page cache has stored it) and no cancellation. Immutable once taken.
/// </remarks>
internal sealed class BackgroundRequest
{
    private readonly string _scheme;
    private readonly HostString _host;
    private readonly PathString _pathBase;
    private readonly PathString _path;
    private readonly QueryString _query;
    private readonly string _protocol;
    private readonly KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[] _headers;
    private readonly ClaimsPrincipal _user;
    private readonly Endpoint? _endpoint;
    private readonly RouteValueDictionary _routeValues;
    private readonly IPAddress? _remoteAddress;
    private readonly IPAddress? _localAddress;
    private readonly int _remotePort;
    private readonly int _localPort;
    private readonly IServiceScopeFactory? _scopes;
    private readonly IHttpContextAccessor? _accessor;

    private BackgroundRequest(HttpContext context)
    {
        var request = context.Request;
        _scheme = request.Scheme;
        _host = request.Host;
        _pathBase = request.PathBase;
        _path = request.Path;
        _query = request.QueryString;
        _protocol = request.Protocol;
        _headers = request.Headers.ToArray();
        _user = context.User;
        _endpoint = context.GetEndpoint();
        _routeValues = new RouteValueDictionary(request.RouteValues);
        _remoteAddress = context.Connection.RemoteIpAddress;
        _localAddress = context.Connection.LocalIpAddress;
        _remotePort = context.Connection.RemotePort;
        _localPort = context.Connection.LocalPort;
        _scopes = context.RequestServices?.GetService<IServiceScopeFactory>();
        _accessor = context.RequestServices?.GetService<IHttpContextAccessor>();
    }

    /// <summary>The copy of <paramref name="context"/>'s request.</summary>
    public static BackgroundRequest Of(HttpContext context) => new(context);

    /// <summary>The request's path, for the log.</summary>
    public string Path => _pathBase.Add(_path).Value ?? "/";

    /// <summary>A fresh context for the replay; disposing it ends its service scope.</summary>
    public Replay Start()
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in _headers) headers[name] = value;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Method = HttpMethods.Get,
            Scheme = _scheme,
            PathBase = _pathBase.Value ?? "",
            Path = _path.Value ?? "/",
            QueryString = _query.Value ?? "",
            Protocol = _protocol,
            Headers = headers,
            Body = Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            RemoteIpAddress = _remoteAddress,
            LocalIpAddress = _localAddress,
            RemotePort = _remotePort,
            LocalPort = _localPort,
        });
        var context = new DefaultHttpContext(features) { User = _user };
        context.Request.Host = _host;
        var services = new RequestServicesFeature(context, _scopes);
        features.Set<IServiceProvidersFeature>(services);
        if (_endpoint is not null) context.SetEndpoint(_endpoint);
        context.Request.RouteValues = new RouteValueDictionary(_routeValues);
        // The refresh runs without the request's execution context, so this sets its own accessor slot only.
        if (_accessor is not null) _accessor.HttpContext = context;
        return new Replay(context, services, _accessor);
    }

    /// <summary>A replay's context and what to release after it.</summary>
    internal sealed class Replay(HttpContext context, RequestServicesFeature services, IHttpContextAccessor? accessor) : IAsyncDisposable
    {
        /// <summary>The context the pipeline runs on.</summary>
        public HttpContext Context => context;

        /// <summary>Ends the replay's service scope and clears its accessor slot.</summary>
        public async ValueTask DisposeAsync()
        {
            if (accessor is not null) accessor.HttpContext = null;
            await services.DisposeAsync().ConfigureAwait(false);
        }
    }
}
