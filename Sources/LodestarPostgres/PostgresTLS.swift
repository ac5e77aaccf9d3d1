import NIOSSL
import PostgresNIO

/// libpq's `sslmode` as postgres-nio's TLS settings, for the pool and for the first, plain connection.
///
/// libpq checks nothing under `prefer` and `require`; `verify-ca` checks the certificate chain; `verify-full` also
/// checks the host name. The trusted roots are the system's.
struct PostgresTLS: Sendable {
    let client: PostgresClient.Configuration.TLS
    let connection: PostgresConnection.Configuration.TLS

    init(_ mode: PostgresURL.SSLMode) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            self.client = .disable
            self.connection = .disable
            return
        case .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
        }
        let context = try NIOSSLContext(configuration: configuration)
        if mode == .prefer {
            self.client = .prefer(configuration)
            self.connection = .prefer(context)
        } else {
            self.client = .require(configuration)
            self.connection = .require(context)
        }
    }
}
