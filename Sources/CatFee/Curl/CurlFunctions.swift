internal import CCurl
import Foundation

/// Typed entry points to libcurl's variadic functions, which Swift cannot import.
///
/// `curl_easy_setopt`, `curl_multi_setopt` and `curl_easy_getinfo` are looked up once with `dlsym` and called through
/// non-variadic `@convention(c)` types. On the System V x86-64 and AAPCS64 (Linux) ABIs a variadic callee reads an
/// integer or pointer argument from the same register a non-variadic call puts it in, so this is exact for the
/// `long` and pointer arguments used here. `curl_global_init` runs once, before the first handle.
enum CurlFunctions {
    typealias EasySetoptInt = @convention(c) (UnsafeMutableRawPointer?, CURLoption, Int) -> CURLcode
    typealias EasySetoptPointer = @convention(c) (UnsafeMutableRawPointer?, CURLoption, UnsafeRawPointer?) -> CURLcode
    typealias MultiSetoptInt = @convention(c) (UnsafeMutableRawPointer?, CURLMoption, Int) -> CURLMcode
    typealias MultiSetoptPointer =
        @convention(c) (UnsafeMutableRawPointer?, CURLMoption, UnsafeRawPointer?) -> CURLMcode
    typealias EasyGetinfoPointer =
        @convention(c) (UnsafeMutableRawPointer?, CURLINFO, UnsafeMutableRawPointer?) -> CURLcode

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(nil, name) else { fatalError("libcurl symbol \(name) not found") }
        return address
    }

    /// `curl_global_init(CURL_GLOBAL_DEFAULT)`, evaluated once (Swift globals initialize lazily and atomically).
    static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// `curl_easy_setopt` with a `long` argument.
    static let easySetoptInt = unsafeBitCast(symbol("curl_easy_setopt"), to: EasySetoptInt.self)
    /// `curl_easy_setopt` with a pointer argument (strings, lists, callbacks, user data).
    static let easySetoptPointer = unsafeBitCast(symbol("curl_easy_setopt"), to: EasySetoptPointer.self)
    /// `curl_multi_setopt` with a `long` argument.
    static let multiSetoptInt = unsafeBitCast(symbol("curl_multi_setopt"), to: MultiSetoptInt.self)
    /// `curl_multi_setopt` with a pointer argument (callbacks, user data).
    static let multiSetoptPointer = unsafeBitCast(symbol("curl_multi_setopt"), to: MultiSetoptPointer.self)
    /// `curl_easy_getinfo` with a pointer to the result.
    static let easyGetinfo = unsafeBitCast(symbol("curl_easy_getinfo"), to: EasyGetinfoPointer.self)
}
