#if canImport(Glibc)
import Glibc
#endif

/// `serve`'s port search: what a host name resolves to, and whether a port can be bound
/// there. Kept beside the other system calls; each pointer is used only inside the
/// `withUnsafe…` scope that gives it, and the socket address is copied out as bytes.
package enum LocalPort {
    /// The first address `host` resolves to, for a passive (listening) socket.
    package static func address(host: String, port: Int) -> (family: Int32, bytes: [UInt8])? {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        guard let sa = first.pointee.ai_addr else { return nil }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: UnsafeRawPointer(sa), count: Int(first.pointee.ai_addrlen)))
        return (first.pointee.ai_family, bytes)
    }

    package struct Errno: Error { package var code: Int32 }

    /// Binds a throw-away socket to the address and `port`: the port bound (the one the
    /// system chose for 0), or the `errno` of the failure.
    package static func bindProbe(_ address: (family: Int32, bytes: [UInt8]), port: Int) -> Result<Int, Errno> {
        var storage = sockaddr_storage()
        var length = socklen_t(address.bytes.count)
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyBytes(from: address.bytes)
            let networkPort = UInt16(port).bigEndian
            if address.family == AF_INET6 {
                raw.storeBytes(of: networkPort, toByteOffset: MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!, as: UInt16.self)
            } else {
                raw.storeBytes(of: networkPort, toByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_port)!, as: UInt16.self)
            }
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(Errno(code: errno)) }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { return .failure(Errno(code: errno)) }
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return .failure(Errno(code: errno)) }
        let networkPort: UInt16 = withUnsafeBytes(of: &storage) { raw in
            raw.load(fromByteOffset: address.family == AF_INET6
                        ? MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!
                        : MemoryLayout<sockaddr_in>.offset(of: \.sin_port)!, as: UInt16.self)
        }
        return .success(Int(UInt16(bigEndian: networkPort)))
    }
}
