// Command pki-bench-client is the Go load generator of scripts/bench.sh --against step-ca: Go's
// net/http over HTTPS/1.1 with keep-alive (one connection per caller), as step's own client code
// talks to a CA. It is ours (standard library only), not step-ca's code.
//
// Closed loop: -c callers each send one request after another. Sign mode: POST -url with one body
// per request, read in order from -bodies (one JSON body per line, each with its own CSR and
// one-time token); the first -warm bodies are sent untimed. Renew mode (-cert, -key): POST -url
// with no body over mTLS with that client certificate. Prints one JSON object with the result.
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type result struct {
	Requests   int     `json:"requests"`
	Errors     int64   `json:"errors"`
	FirstError string  `json:"firstError,omitempty"`
	Seconds    float64 `json:"seconds"`
	Rps        float64 `json:"rps"`
	P50Ms      float64 `json:"p50Ms"`
	P99Ms      float64 `json:"p99Ms"`
	MaxMs      float64 `json:"maxMs"`
	CPUSeconds float64 `json:"clientCpuSeconds"`
}

func main() {
	url := flag.String("url", "", "https://127.0.0.1:PORT/1.0/sign or /1.0/renew")
	rootFile := flag.String("root", "", "root certificate (PEM) the server chain is checked against")
	bodiesFile := flag.String("bodies", "", "sign: file with one JSON body per line")
	certFile := flag.String("cert", "", "renew: client certificate chain (PEM)")
	keyFile := flag.String("key", "", "renew: client key (PEM)")
	callers := flag.Int("c", 32, "concurrent callers (one keep-alive connection each)")
	count := flag.Int("n", 1000, "timed requests")
	warm := flag.Int("warm", 0, "untimed requests first (they also open the connections)")
	want := flag.Int("status", 201, "expected HTTP status")
	flag.Parse()

	rootPEM, err := os.ReadFile(*rootFile)
	check(err)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(rootPEM) {
		check(fmt.Errorf("no certificate in %s", *rootFile))
	}
	tlsConfig := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if *certFile != "" {
		pair, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		check(err)
		tlsConfig.Certificates = []tls.Certificate{pair}
	}
	transport := &http.Transport{
		TLSClientConfig:     tlsConfig,
		MaxIdleConns:        *callers,
		MaxIdleConnsPerHost: *callers,
		MaxConnsPerHost:     *callers,
		IdleConnTimeout:     5 * time.Minute,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: transport, Timeout: 60 * time.Second}

	var bodies [][]byte
	if *bodiesFile != "" {
		f, err := os.Open(*bodiesFile)
		check(err)
		scanner := bufio.NewScanner(f)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		for scanner.Scan() {
			bodies = append(bodies, append([]byte(nil), scanner.Bytes()...))
		}
		check(scanner.Err())
		f.Close()
		if len(bodies) < *warm+*count {
			check(fmt.Errorf("%s has %d bodies, %d needed", *bodiesFile, len(bodies), *warm+*count))
		}
	}

	var errors int64
	var firstError atomic.Value
	call := func(i int) bool {
		var body io.Reader
		if bodies != nil {
			body = bytes.NewReader(bodies[i])
		}
		req, err := http.NewRequest(http.MethodPost, *url, body)
		if err != nil {
			firstError.CompareAndSwap(nil, err.Error())
			return false
		}
		if bodies != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			firstError.CompareAndSwap(nil, err.Error())
			return false
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != *want || len(data) == 0 {
			firstError.CompareAndSwap(nil, fmt.Sprintf("HTTP %d: %.300s", resp.StatusCode, data))
			return false
		}
		return true
	}
	run := func(offset, n int, latencies []time.Duration) time.Duration {
		var next int64 = -1
		var wg sync.WaitGroup
		start := time.Now()
		for w := 0; w < *callers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(atomic.AddInt64(&next, 1))
					if i >= n {
						return
					}
					t0 := time.Now()
					if !call(offset + i) {
						atomic.AddInt64(&errors, 1)
					}
					if latencies != nil {
						latencies[i] = time.Since(t0)
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}

	if *warm > 0 {
		run(0, *warm, nil)
		errors = 0
	}
	cpu0 := cpuSeconds()
	latencies := make([]time.Duration, *count)
	elapsed := run(*warm, *count, latencies)
	cpu := cpuSeconds() - cpu0
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	pct := func(p float64) float64 {
		i := int(p*float64(len(latencies))+0.999999) - 1
		if i < 0 {
			i = 0
		}
		return ms(latencies[i])
	}
	r := result{Requests: *count, Errors: errors, Seconds: elapsed.Seconds(), Rps: float64(*count) / elapsed.Seconds(),
		P50Ms: pct(0.50), P99Ms: pct(0.99), MaxMs: ms(latencies[len(latencies)-1]), CPUSeconds: cpu}
	if e, ok := firstError.Load().(string); ok {
		r.FirstError = e
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}

func cpuSeconds() float64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()).Seconds()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "pki-bench-client:", err)
		os.Exit(2)
	}
}
