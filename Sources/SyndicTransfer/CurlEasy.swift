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

    func setOffset(_ option: CURLoption, _ value: Int64) {
        _ = syndic_curl_set_offset(handle, option, curl_off_t(value))
    }

    /// Runs the transfer, feeding `upload` (if any) and collecting the body and headers.
    func perform(upload: Data? = nil) -> (result: CURLcode, body: Data, headers: [String], error: String) {
        let box = IOBox(upload: upload ?? Data())
        let context = Unmanaged.passUnretained(box).toOpaque()
        _ = syndic_curl_set_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let box = Unmanaged<IOBox>.fromOpaque(context!).takeUnretainedValue()
            box.body.append(UnsafeRawPointer(buffer!).assumingMemoryBound(to: UInt8.self), count: size * count)
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
        if upload != nil {
            _ = syndic_curl_set_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                let box = Unmanaged<IOBox>.fromOpaque(context!).takeUnretainedValue()
                let length = min(size * count, box.upload.count - box.offset)
                box.upload.withUnsafeBytes { bytes in
                    UnsafeMutableRawPointer(buffer!).copyMemory(from: bytes.baseAddress! + box.offset, byteCount: length)
                }
                box.offset += length
                return length
            }
            _ = syndic_curl_set_pointer(handle, CURLOPT_READDATA, context)
        }
        let result = withExtendedLifetime(box) { curl_easy_perform(handle) }
        let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let reason = message.isEmpty ? String(cString: curl_easy_strerror(result)) : message
        return (result, box.body, box.headers, reason)
    }

    /// The last response code (HTTP status, FTP reply).
    var responseCode: Int {
        var code = 0
        _ = syndic_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// State shared with the C callbacks of one transfer.
    private final class IOBox {
        var body = Data()
        var headers: [String] = []
        let upload: Data
        var offset = 0
        init(upload: Data) { self.upload = upload }
    }
}
