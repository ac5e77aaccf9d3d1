import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the client's address.
///
/// The address is used in memory by the rate limiter only; it is never stored or logged.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// A key per client for rate limiting: the IP address without its port.
    var clientKey: String {
        self.remoteAddress?.ipAddress ?? "local"
    }
}
