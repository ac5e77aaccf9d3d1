import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the client's address.
///
/// The address is used in memory by the rate limiter only; it is never stored or logged. `sessions` holds the lead's
/// session at `/admin` once `SessionMiddleware` has read its cookie.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public let sessions: SessionContext<AdminSession>

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.sessions = SessionContext()
    }

    /// A key per client for rate limiting: the IP address without its port.
    var clientKey: String {
        self.remoteAddress?.ipAddress ?? "local"
    }
}
