import Foundation

/// Checks of values that are well-formed text but would still fail once `serve` uses them: a listen address
/// that cannot be bound, files that do not exist, a CA bundle with no certificate, plain http to HWA in
/// production. Found here, `config show` reports them and `serve` stops before starting anything.
extension ConfigParser {
    /// An IP address or a host name (letters, digits, `-` and `.`), as NIO's bind accepts it.
    mutating func listenHost(_ name: String, default defaultValue: String) -> String {
        guard let raw = string(name) else { return defaultValue }
        guard Self.isIPAddress(raw) || Self.isHostName(raw) else {
            problem(name, "\(quote(raw, of: name)) is not an IP address or a host name; use e.g. 0.0.0.0 or 127.0.0.1")
            return defaultValue
        }
        return raw
    }

    /// The path in `name` when it is set and exists; a missing path is a problem naming the variable.
    mutating func existingPath(_ name: String, what: String, mustBeFile: Bool = false) -> String? {
        guard let path = string(name) else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let relative =
                path.hasPrefix("/")
                ? ""
                : " (a relative path starts in the folder Resync runs in, \(FileManager.default.currentDirectoryPath))"
            problem(name, "the \(what) \(quote(path, of: name)) does not exist; check the path\(relative)")
            return path
        }
        if mustBeFile && isDirectory.boolValue {
            problem(name, "\(quote(path, of: name)) is a folder; give the \(what) file")
        } else if !FileManager.default.isReadableFile(atPath: path) {
            problem(name, "the \(what) \(quote(path, of: name)) is not readable; check its permissions")
        }
        return path
    }

    /// A readable PEM file with at least one certificate: anything else failed every HWA call later with a
    /// TLS library error that did not name the variable.
    mutating func certificateFile(_ name: String) -> String? {
        guard let path = string(name) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            problem(name, "file \(quote(path, of: name)) does not exist or is not readable")
            return path
        }
        if data.range(of: Data("-----BEGIN CERTIFICATE-----".utf8)) == nil {
            problem(
                name,
                "\(quote(path, of: name)) holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); give the CA "
                    + "certificate of the HWA master in PEM form (convert a .der or .cer with `openssl x509 -inform der`)"
            )
        }
        return path
    }

    /// HWA carries credentials: production refuses to send them in clear text (development allows it for a lab).
    mutating func checkTransport(baseURL: String, environment: AppConfig.Environment) {
        guard environment == .production, let components = URLComponents(string: baseURL),
            components.scheme?.lowercased() == "http", let host = components.host,
            !["127.0.0.1", "localhost", "::1"].contains(host)
        else { return }
        problem(
            "TWS_BASE_URL",
            "plain http to \(host) would send the HWA credentials unencrypted, which production refuses; use https "
                + "(TWS_CA_FILE for a private CA)")
    }

    /// An IANA zone name (`America/Sao_Paulo`, `UTC`); the host's zone when unset.
    mutating func parseTimeZone() -> TimeZone {
        guard let raw = string("RESYNC_TIME_ZONE") else { return .current }
        guard let zone = TimeZone(identifier: raw) else {
            problem(
                "RESYNC_TIME_ZONE",
                "\(quote(raw, of: "RESYNC_TIME_ZONE")) is not an IANA time zone name; use e.g. America/Sao_Paulo or UTC"
            )
            return .current
        }
        return zone
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Letters, digits, `-` and (as container service names have them, and the resolver accepts them) `_`.
    static func isHostName(_ text: String) -> Bool {
        guard text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                }
        }
    }
}
