#!/bin/sh
# Builds (once, cached) and runs prom_parse_bench.go: Prometheus' own exposition parser
# (model/textparse of the Debian `prometheus` source, 2.42.0+ds) timed on one payload file, for
# ParserBench's comparison.
#
#   prom_parse_bench.sh PAYLOAD {text|openmetrics} [min_seconds]   -> bytes samples cpu_s wall_s
#   prom_parse_bench.sh --build                                     -> builds only, prints the binary
#
# Needs Go 1.19 and the Debian Go libraries that textparse imports (installed here when run as
# root and missing). The Prometheus source is the Debian orig tarball, fetched with the mirror of
# this machine's apt sources into $LOOKOUT_BENCH_CACHE (default ~/.cache/lookout-bench), checked
# against its SHA-256, and built in GOPATH mode (GO111MODULE=off, no Go network access) next to
# /usr/share/gocode. No Prometheus code is kept in this repository.
set -eu

VERSION=2.42.0+ds
TARBALL=prometheus_${VERSION}.orig.tar.xz
SHA256=62d510f128aac02f138d6fa839589bc4649f65cae3bd0917aeee033a8889af61
DEBS="golang-go golang-github-cespare-xxhash-dev golang-github-grafana-regexp-dev
      golang-github-prometheus-common-dev golang-github-gogo-protobuf-dev golang-github-pkg-errors-dev"

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LOOKOUT_BENCH_CACHE:-$HOME/.cache/lookout-bench}
GOPATH_DIR=$CACHE/gopath
SRC=$GOPATH_DIR/src/github.com/prometheus/prometheus
BIN=$CACHE/prom_parse_bench-$VERSION

log() { echo "prom_parse_bench.sh: $*" >&2; }

install_debs() {
    missing=""
    for deb in $DEBS; do
        dpkg-query -W -f '${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $deb"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        log "installing$missing"
        apt-get install -y $missing >&2 || { apt-get update >&2 && apt-get install -y $missing >&2; }
    else
        log "missing Debian packages, run: sudo apt-get install -y$missing"
        exit 1
    fi
}

fetch_source() {
    [ -f "$SRC/model/textparse/promparse.go" ] && return 0
    mkdir -p "$CACHE"
    if [ ! -f "$CACHE/$TARBALL" ]; then
        # The orig tarball sits in the pool directory of the `prometheus` binary package, on
        # whatever mirror apt uses here.
        deb_uri=$(apt-get download --print-uris prometheus 2>/dev/null | head -n 1 | cut -d"'" -f2)
        [ -n "$deb_uri" ] || { log "apt-get download --print-uris prometheus found nothing (apt-get update?)"; exit 1; }
        uri="${deb_uri%/*}/$(echo "$TARBALL" | sed 's/+/%2b/g')"
        log "downloading $uri"
        curl -sSfL -o "$CACHE/$TARBALL.part" "$uri"
        mv "$CACHE/$TARBALL.part" "$CACHE/$TARBALL"
    fi
    echo "$SHA256  $CACHE/$TARBALL" | sha256sum -c --quiet - >&2 || { rm -f "$CACHE/$TARBALL"; exit 1; }
    rm -rf "$SRC" "$CACHE/extract"
    mkdir -p "$CACHE/extract" "$(dirname "$SRC")"
    tar -xJf "$CACHE/$TARBALL" -C "$CACHE/extract"
    mv "$CACHE/extract"/prometheus-* "$SRC"
    rmdir "$CACHE/extract"
}

build() {
    if [ -x "$BIN" ] && [ "$BIN" -nt "$HERE/prom_parse_bench.go" ]; then return 0; fi
    install_debs
    fetch_source
    log "building $BIN"
    GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH="$GOPATH_DIR:/usr/share/gocode" \
        go build -o "$BIN.tmp" "$HERE/prom_parse_bench.go"
    mv "$BIN.tmp" "$BIN"
}

build
if [ "${1:-}" = "--build" ]; then
    echo "$BIN"
    exit 0
fi
exec "$BIN" "$@"
