// Typed wrappers around libcurl's variadic setopt/getinfo, which Swift cannot call directly.
#ifndef SYNDIC_CCURL_SHIM_H
#define SYNDIC_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*syndic_curl_io_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode syndic_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode syndic_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode syndic_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode syndic_curl_set_callback(CURL *handle, CURLoption option, syndic_curl_io_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode syndic_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode syndic_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode syndic_curl_get_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
