import Foundation
import NIOCore
import NIOPosix
import Web

/// Binds `HTTP_HOST:HTTP_PORT` once, and lets it go, before anything else starts. A port in use or an address
/// this machine does not have then stops `serve` with a configuration error naming the variable, before the
/// knowledge base import, the simulator and the services run (and before a failed bind has to cancel them).
enum ListenAddressCheck {
    static func problem(host: String, port: Int) async -> ConfigProblem? {
        // Port 0 asks for any free port: nothing to check, and the one found here would not be the one used.
        guard port != 0 else { return nil }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try? await channel.close()
            return nil
        } catch let error as IOError {
            return problem(errno: error.errnoCode, host: host, port: port)
        } catch {
            return ConfigProblem(variable: "HTTP_HOST", message: "cannot listen on \(host):\(port) (\(error))")
        }
    }

    static func problem(errno: Int32, host: String, port: Int) -> ConfigProblem {
        switch errno {
        case EADDRINUSE:
            ConfigProblem(
                variable: "HTTP_PORT",
                message: "port \(port) on \(host) is already in use by another process; stop it or choose another "
                    + "HTTP_PORT")
        case EACCES:
            ConfigProblem(
                variable: "HTTP_PORT",
                message: "port \(port) needs privileges this process does not have; use a port above 1023")
        case EADDRNOTAVAIL:
            ConfigProblem(
                variable: "HTTP_HOST",
                message:
                    "\(host) is not an address of this machine; use 0.0.0.0 (every interface) or one of its addresses")
        default:
            ConfigProblem(
                variable: "HTTP_HOST", message: "cannot listen on \(host):\(port) (\(String(cString: strerror(errno))))"
            )
        }
    }
}
