#ifndef LOOKOUT_CCURL_H
#define LOOKOUT_CCURL_H
#include <curl/curl.h>

/* Typed wrappers for libcurl's variadic setopt/getinfo calls, which Swift cannot call. */
CURLcode lk_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode lk_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode lk_easy_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode lk_easy_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode lk_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode lk_easy_setopt_write_function(CURL *h, curl_write_callback cb);
CURLcode lk_easy_setopt_header_function(CURL *h, curl_write_callback cb);
CURLcode lk_easy_setopt_read_function(CURL *h, curl_read_callback cb);
CURLcode lk_easy_getinfo_long(CURL *h, CURLINFO i, long *out);
CURLcode lk_easy_getinfo_double(CURL *h, CURLINFO i, double *out);
CURLcode lk_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *out);
CURLcode lk_easy_getinfo_pointer(CURL *h, CURLINFO i, void **out);
CURLcode lk_easy_getinfo_string(CURL *h, CURLINFO i, char **out);
CURLcode lk_easy_getinfo_certinfo(CURL *h, struct curl_certinfo **out);
CURLMcode lk_multi_setopt_long(CURLM *m, CURLMoption o, long v);
#endif
