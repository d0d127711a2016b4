// Times Prometheus' own exposition parser (model/textparse) on one payload file, for ParserBench's
// comparison. Built by prom_parse_bench.sh against the Prometheus source in GOPATH mode.
//
//	prom_parse_bench PAYLOAD {text|openmetrics} [min_seconds]
//
// Prints one line: `bytes samples cpu_seconds_per_parse wall_seconds_per_parse` (best run of each),
// the first three as python_parse_bench.py prints them. Every sample's labels are decoded with
// p.Metric into a fresh labels.Labels, as in Prometheus' BenchmarkParse "decode-metric" variant
// and as its scrape loop does for a series it has not cached. CPU time is the process's (all
// threads, so the Go garbage collector's background work counts too).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/textparse"
)

// parseAll parses the whole payload once and returns the number of samples.
func parseAll(newParser func([]byte) textparse.Parser, buf []byte) (int, int, error) {
	p := newParser(buf)
	samples, labelCount := 0, 0
	for {
		entry, err := p.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return samples, labelCount, nil
			}
			return samples, labelCount, err
		}
		if entry == textparse.EntrySeries {
			_, _, value := p.Series()
			_ = value
			var lset labels.Labels
			p.Metric(&lset)
			labelCount += len(lset)
			samples++
		}
	}
}

// cpuSeconds is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID, all threads, nanosecond
// resolution; getrusage is too coarse for a parse of a few hundred microseconds).
func cpuSeconds() float64 {
	const clockProcessCPUTimeID = 2
	var spec syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID,
		uintptr(unsafe.Pointer(&spec)), 0); errno != 0 {
		panic(errno)
	}
	return float64(spec.Sec) + float64(spec.Nsec)/1e9
}

func main() {
	// One OS thread for the parse, so its CPU clock is read exactly (a goroutine that moved to
	// another thread between two readings could be undercounted by the process clock).
	runtime.LockOSThread()
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: prom_parse_bench PAYLOAD {text|openmetrics} [min_seconds]")
		os.Exit(2)
	}
	buf, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	newParser := textparse.NewPromParser
	switch os.Args[2] {
	case "text":
	case "openmetrics":
		newParser = textparse.NewOpenMetricsParser
	default:
		fmt.Fprintln(os.Stderr, "format must be text or openmetrics, not", os.Args[2])
		os.Exit(2)
	}
	minSeconds := 1.0
	if len(os.Args) > 3 {
		if minSeconds, err = strconv.ParseFloat(os.Args[3], 64); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}

	samples, runs := 0, 0
	bestCPU, bestWall := 1e300, 1e300
	start := time.Now()
	// Bounded: at least 3 runs, at most 100,000, and stops once min_seconds have passed.
	for runs < 100000 {
		cpu, wall := cpuSeconds(), time.Now()
		n, labelCount, err := parseAll(newParser, buf)
		elapsedWall, elapsedCPU := time.Since(wall).Seconds(), cpuSeconds()-cpu
		if err != nil {
			fmt.Fprintf(os.Stderr, "prometheus parser rejected %s after %d samples: %v\n", os.Args[1], n, err)
			os.Exit(1)
		}
		if labelCount == 0 {
			fmt.Fprintln(os.Stderr, "no labels decoded")
			os.Exit(1)
		}
		samples = n
		if elapsedCPU < bestCPU {
			bestCPU = elapsedCPU
		}
		if elapsedWall < bestWall {
			bestWall = elapsedWall
		}
		runs++
		if time.Since(start).Seconds() >= minSeconds && runs >= 3 {
			break
		}
	}
	fmt.Println(len(buf), samples, bestCPU, bestWall)
}
