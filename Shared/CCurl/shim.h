#ifndef LEARNBRIDGE_CCURL_SHIM_H
#define LEARNBRIDGE_CCURL_SHIM_H
#include <curl/curl.h>

/*
 * Swift cannot call C variadic functions, and curl_easy_setopt is one: these non-variadic
 * wrappers pass each kind of option value with the type libcurl expects for it.
 */

/* Options whose value is a `long` (CURLOPT_UPLOAD, CURLOPT_TIMEOUT_MS, CURLOPT_USE_SSL, ...). */
static inline CURLcode lb_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/* Options whose value is a C string (CURLOPT_URL, CURLOPT_MAIL_FROM, ...); libcurl copies it. */
static inline CURLcode lb_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/* Options whose value is a pointer kept by libcurl (CURLOPT_READDATA, CURLOPT_MAIL_RCPT,
   CURLOPT_ERRORBUFFER): it must stay valid until the transfer ends. */
static inline CURLcode lb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/* Options whose value is a `curl_off_t` (CURLOPT_INFILESIZE_LARGE). */
static inline CURLcode lb_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* The upload source for SMTP: libcurl calls it for the message bytes. */
typedef size_t (*lb_curl_read_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode lb_curl_setopt_read_callback(CURL *handle, lb_curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

/* curl_easy_getinfo is variadic too: the `long` answers (CURLINFO_RESPONSE_CODE). */
static inline CURLcode lb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* Macros Swift does not import (they are expressions, not plain literals). */
static const long LB_CURL_GLOBAL_DEFAULT = CURL_GLOBAL_DEFAULT;
static const size_t LB_CURL_READFUNC_ABORT = CURL_READFUNC_ABORT;
static const size_t LB_CURL_ERROR_SIZE = CURL_ERROR_SIZE;

#endif
