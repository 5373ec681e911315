import CCurl
import Foundation

/// One libcurl easy handle, configured for one transfer. Not shared between threads.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    /// The global libcurl initialisation, done once per process.
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    init() {
        _ = CurlEasy.initialised
        handle = curl_easy_init()
        configureDefaults()
    }

    /// Forgets every option for the next transfer, keeping the handle's open connections
    /// (a keep-alive client reuses them).
    func reset() {
        curl_easy_reset(handle)
        for list in lists { curl_slist_free_all(list) }
        for string in strings { free(string) }
        lists.removeAll()
        strings.removeAll()
        configureDefaults()
    }

    private func configureDefaults() {
        set(CURLOPT_NOSIGNAL, 1)
        errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = syndic_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        for string in strings { free(string) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = syndic_curl_set_long(handle, option, value)
    }

    /// Sets a string option; libcurl copies most strings, the copy here lives as long as the handle.
    func set(_ option: CURLoption, _ value: String) {
        let copy = strdup(value)!
        strings.append(copy)
        _ = syndic_curl_set_string(handle, option, copy)
    }

    func set(_ option: CURLoption, lines: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        if let list { lists.append(list) }
        _ = syndic_curl_set_pointer(handle, option, list)
    }

    /// Resets a string option to none (for one with a compiled-in default, such as CAPATH).
    func unset(_ option: CURLoption) {
        _ = syndic_curl_set_pointer(handle, option, nil)
    }

    func setOffset(_ option: CURLoption, _ value: Int64) {
        _ = syndic_curl_set_offset(handle, option, curl_off_t(value))
    }

    /// Fills the buffer with the next bytes of an upload and returns how many (0 at the end);
    /// throws to abort the transfer.
    typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int
    /// Takes the next bytes of the response body; throws to abort the transfer.
    typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    /// What one transfer gave: libcurl's result, the body (unless a sink took it), the header
    /// lines and the reason of a failure (a source's or sink's own error first).
    struct Outcome {
        var result: CURLcode
        var body: Data
        var headers: [String]
        var error: String
    }

    /// Runs the transfer, feeding `upload` (if any) and collecting the body and headers.
    func perform(upload: Data? = nil) -> Outcome {
        guard let upload else { return perform(source: nil, sink: nil) }
        var offset = 0
        return perform(source: { buffer in
            let start = upload.startIndex + offset
            let length = min(buffer.count, upload.endIndex - start)
            buffer.copyBytes(from: upload[start..<start + length])
            offset += length
            return length
        }, sink: nil)
    }

    /// Runs the transfer, feeding the upload from `source` (if any) and handing the body to
    /// `sink` (collected in memory without one). Memory stays bounded by libcurl's buffers
    /// when both stream.
    func perform(source: Source?, sink: Sink?) -> Outcome {
        let box = IOBox(source: source, sink: sink)
        let context = Unmanaged.passUnretained(box).toOpaque()
        _ = syndic_curl_set_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let box = Unmanaged<IOBox>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: buffer, count: size * count)
            guard let sink = box.sink else {
                box.body.append(contentsOf: bytes)
                return size * count
            }
            do { try sink(bytes) } catch {
                box.failure = "\(error)"
                return 0  // less than given: libcurl stops with a write error
            }
            return size * count
        }
        _ = syndic_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = syndic_curl_set_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
            let box = Unmanaged<IOBox>.fromOpaque(context!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: size * count), as: UTF8.self)
            box.headers.append(line.trimmingCharacters(in: .whitespacesAndNewlines))
            return size * count
        }
        _ = syndic_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        if source != nil {
            _ = syndic_curl_set_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                let box = Unmanaged<IOBox>.fromOpaque(context!).takeUnretainedValue()
                do {
                    return try box.source!(UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
                } catch {
                    box.failure = "\(error)"
                    return Int(CURL_READFUNC_ABORT)
                }
            }
            _ = syndic_curl_set_pointer(handle, CURLOPT_READDATA, context)
        }
        let result = withExtendedLifetime(box) { curl_easy_perform(handle) }
        let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let reason = box.failure ?? (message.isEmpty ? String(cString: curl_easy_strerror(result)) : message)
        return Outcome(result: result, body: box.body, headers: box.headers, error: reason)
    }

    /// An offset-typed fact of the last transfer (a size, a time), or nil when unknown (-1).
    func offset(_ info: CURLINFO) -> Int64? {
        var value: curl_off_t = -1
        guard syndic_curl_get_offset(handle, info, &value) == CURLE_OK, value >= 0 else { return nil }
        return Int64(value)
    }

    /// The last response code (HTTP status, FTP reply).
    var responseCode: Int {
        var code = 0
        _ = syndic_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// State shared with the C callbacks of one transfer.
    private final class IOBox {
        let source: Source?
        let sink: Sink?
        var body = Data()
        var headers: [String] = []
        /// Why the source or the sink stopped the transfer.
        var failure: String?

        init(source: Source?, sink: Sink?) {
            self.source = source
            self.sink = sink
        }
    }
}
