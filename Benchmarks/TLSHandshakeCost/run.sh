#!/bin/bash
# Instructions per full TLS handshake in the client (libcurl 7.88 + OpenSSL 3.0 as configured for
# a Lookout probe), measured with callgrind against a local nginx, for an RSA-2048 and an ECDSA
# P-256 server key, with the variants below. Needs gcc, valgrind, nginx, openssl, libcurl headers.
#   bash Benchmarks/TLSHandshakeCost/run.sh [N]       (N handshakes per measurement, default 20)
#   PROFILE=1 ... also prints the top inclusive costs of the RSA baseline run.
#   CPU=1 ...     also times 1,000 handshakes of the driver outside valgrind (user / sys ms each).
set -euo pipefail
N=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tls-handshake-cost.XXXXXX)
nginx_pid=
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

gcc -O2 -I/usr/include/x86_64-linux-gnu "$here/handshake.c" -o "$work/handshake" -lcurl -lssl -lcrypto
# The same driver with Lookout's SSL_CTX recycling (Sources/CCurl/ctx_pool.c) linked in, and with
# that and its cache of decoded peer certificates (Sources/CCurl/x509_cache.c): Lookout as it is.
ccurl="$here/../../Sources/CCurl"
gcc -O2 -I/usr/include/x86_64-linux-gnu -I"$ccurl/include" "$here/handshake.c" "$ccurl/ctx_pool.c" \
    -o "$work/handshake-pool" -lcurl -lssl -lcrypto -ldl
gcc -O2 -I/usr/include/x86_64-linux-gnu -I"$ccurl/include" "$here/handshake.c" "$ccurl/ctx_pool.c" \
    "$ccurl/x509_cache.c" -o "$work/handshake-lookout" -lcurl -lssl -lcrypto -ldl
for key in rsa ec; do
    if [ $key = ec ]; then spec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); else spec=(-newkey rsa:2048); fi
    openssl req -x509 "${spec[@]}" -nodes -keyout "$work/$key-key.pem" -out "$work/$key-cert.pem" -days 30 \
        -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
done
mkdir -p "$work"/{body,proxy,fastcgi,uwsgi,scgi}
server() { # port key
    echo "server { listen 127.0.0.1:$1 ssl; ssl_protocols TLSv1.2 TLSv1.3;
        ssl_certificate $work/$2-cert.pem; ssl_certificate_key $work/$2-key.pem;
        location / { default_type application/json; return 200 '{\"status\":\"healthy\"}'; } }"
}
cat > "$work/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1;
error_log $work/error.log; pid $work/nginx.pid;
events { worker_connections 256; }
http { access_log off; client_body_temp_path $work/body; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  $(server 18543 rsa) $(server 18544 ec) }
CONF
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do "$work/handshake" 1 https://127.0.0.1:18544/ "$work/ec-cert.pem" 2>/dev/null && break; sleep 0.05; done

instructions() { # count url ca -> total Ir (BINARY picks the build, default handshake)
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$1.out" "$work/${BINARY:-handshake}" "$1" "$2" "$3" 2>&1 \
        | awk '/Collected/ {print $4}'
}
per_handshake() { # url ca
    local one many
    one=$(instructions 1 "$1" "$2"); many=$(instructions $((N + 1)) "$1" "$2")
    echo $(((many - one) / N))
}
go_order=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
echo "instructions per handshake (callgrind, client process, mean of $N)"
echo "| variant | RSA-2048 | ECDSA P-256 |"
echo "| --- | --- | --- |"
while IFS='|' read -r name vars; do
    rsa=$(env $vars bash -c "$(declare -f instructions per_handshake); work=$work N=$N per_handshake https://127.0.0.1:18543/ $work/rsa-cert.pem")
    ec=$(env $vars bash -c "$(declare -f instructions per_handshake); work=$work N=$N per_handshake https://127.0.0.1:18544/ $work/ec-cert.pem")
    echo "| $name | $rsa | $ec |"
done <<VARIANTS
libcurl + OpenSSL defaults (Lookout before)|X=
TLS 1.3 suites AES-128-GCM first|TLS13=$go_order
ALPN off|ALPN_OFF=1
TLS 1.3 suite TLS_AES_128_GCM_SHA256 only|TLS13=TLS_AES_128_GCM_SHA256
groups X25519 only|CURVES=X25519
groups P-256 first|CURVES=P-256:X25519
SSL_OP_NO_TICKET|NO_TICKET=1
peer chain expiry not read|NO_EXPIRY=1
OPENSSL_CONF=/dev/null|OPENSSL_CONF=/dev/null
TLS 1.3 suites AES-128-GCM first + SSL_CTX recycling|BINARY=handshake-pool TLS13=$go_order
the same + decoded certificates kept (Lookout now)|BINARY=handshake-lookout TLS13=$go_order
VARIANTS
if [ -n "${PROFILE:-}" ]; then
    # Where one handshake's instructions go (inclusive, so rows overlap), RSA key, Lookout's options.
    export TLS13=$go_order
    inclusive() { callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null; }
    instructions 1 https://127.0.0.1:18543/ "$work/rsa-cert.pem" >/dev/null
    instructions $((N + 1)) https://127.0.0.1:18543/ "$work/rsa-cert.pem" >/dev/null
    echo; echo "| function (inclusive) | instructions per handshake, RSA-2048 |"; echo "| --- | --- |"
    for f in curl_multi_perform SSL_CTX_new_ex SSL_do_handshake d2i_X509 OSSL_DECODER_CTX_new_for_pkey \
             EVP_PKEY_keygen EVP_PKEY_derive EVP_KDF_derive EVP_DigestVerify X509_verify_cert SSL_read; do
        one=$(inclusive "$work/cg.1.out" | awk -v f="???:$f" '!found && index($0, "  " f " [") {gsub(",", "", $1); print $1; found = 1}')
        many=$(inclusive "$work/cg.$((N + 1)).out" | awk -v f="???:$f" '!found && index($0, "  " f " [") {gsub(",", "", $1); print $1; found = 1}')
        echo "| $f | $(((${many:-0} - ${one:-0}) / N)) |"
    done
fi
if [ -n "${CPU:-}" ]; then
    # CPU time per handshake outside valgrind: 1,000 sequential handshakes of the C driver alone
    # (libcurl + OpenSSL as a probe uses them, no Lookout code), user and system time apart.
    export TLS13=$go_order
    # Alternating the driver as shipped, with SSL_CTX recycling, and with that and the certificate
    # cache (Lookout), so that all three see the same load.
    echo; echo "| server key | SSL_CTX | user ms / handshake | sys ms / handshake | total |"; echo "| --- | --- | --- | --- | --- |"
    for key in rsa ec; do
        port=18543; [ $key = ec ] && port=18544
        for _ in 1 2 3; do
            for binary in handshake handshake-pool handshake-lookout; do
                ctx="per connection"; [ $binary = handshake-pool ] && ctx="recycled"
                [ $binary = handshake-lookout ] && ctx="recycled, certificates kept"
                times=$( { /usr/bin/time -f "%U %S" "$work/$binary" 1000 "https://127.0.0.1:$port/" "$work/$key-cert.pem" >/dev/null; } 2>&1 | tail -n 1)
                echo "$times" | awk -v key=$key -v ctx="$ctx" '{printf "| %s | %s | %.2f | %.2f | %.2f |\n", key, ctx, $1, $2, $1 + $2}'
            done
        done
    done
fi
