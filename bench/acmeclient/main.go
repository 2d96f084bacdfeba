// Command pki-acme-bench is the ACME load client of scripts/bench-acme.sh: full RFC 8555 orders
// (new-order -> http-01 -> finalize -> download) driven through golang.org/x/crypto/acme (Debian's
// golang-golang-x-crypto-dev, built offline in GOPATH mode), so every server under test is driven by
// the same independent client implementation.
//
// Closed loop: -c workers, each with its own new P-256 account key and account (new-account), run
// orders one after another until -n timed orders are done in total (after -warm untimed ones). An
// order has one identifier: an "ip" identifier 127.0.0.1 (RFC 8738, -identifier ip) or a DNS name
// <worker>-<n>.<-domain> that the server must resolve to 127.0.0.1 (-identifier dns). The client
// answers http-01 itself on 127.0.0.1:-http-port (one server shared by all workers, token -> key
// authorization). Authorizations and orders are polled every -poll (the library's own waits sleep
// whole seconds, which would measure the client, not the server); the finalize response is then
// signed here (ES256 JWS with the account's kid, RFC 8555 §7.4), because the library's
// CreateOrderCert waits a whole second whenever the server answers "processing" (counted in
// "finalizeProcessing"); the order is then polled like the rest. Every certificate is parsed and checked for the identifier.
// An order that takes longer than -timeout is a hang; any other failure is an error; after
// -max-hangs hangs no new order starts (the run is "aborted"). orders/s counts completed timed
// orders over the timed wall time. Prints one JSON object with the result.
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/crypto/acme"
)

type result struct {
	Orders             int     `json:"orders"`
	Completed          int     `json:"completed"`
	Aborted            bool    `json:"aborted"`
	Errors             int64   `json:"errors"`
	Hangs              int64   `json:"hangs"`
	FirstError         string  `json:"firstError,omitempty"`
	ReusedAuthz        int64   `json:"reusedAuthz"`
	FinalizeProcessing int64   `json:"finalizeProcessing"`
	DownloadRetries    int64   `json:"downloadRetries"`
	Seconds            float64 `json:"seconds"`
	OrdersPerSecond    float64 `json:"ordersPerSecond"`
	P50Ms              float64 `json:"p50Ms"`
	P99Ms              float64 `json:"p99Ms"`
	MaxMs              float64 `json:"maxMs"`
	CPUSeconds         float64 `json:"clientCpuSeconds"`
	Requests           int64   `json:"httpRequests"`
}

var (
	challenges         sync.Map // token -> key authorization
	served             int64
	requests           int64
	finalizeProcessing int64
	reusedAuthz        int64
	downloadRetries    int64
	failedTimed        int64
)

func main() {
	directory := flag.String("dir", "", "ACME directory URL (https://127.0.0.1:PORT/...)")
	caFile := flag.String("cacert", "", "PEM the ACME endpoint's TLS certificate chains to")
	httpPort := flag.Int("http-port", 0, "port on 127.0.0.1 where the server's validator fetches http-01")
	workers := flag.Int("c", 1, "concurrent workers (one account each)")
	count := flag.Int("n", 100, "timed orders in total")
	warm := flag.Int("warm", 0, "untimed orders first (in total)")
	identifier := flag.String("identifier", "ip", "ip (127.0.0.1, RFC 8738) or dns")
	domain := flag.String("domain", "bench.test", "dns: names are W-N.<domain> and must resolve to 127.0.0.1 for the server")
	timeout := flag.Duration("timeout", 30*time.Second, "an order taking longer is counted as a hang")
	poll := flag.Duration("poll", 5*time.Millisecond, "interval between polls of an authorization or order")
	maxHangs := flag.Int64("max-hangs", 32, "stop starting orders after this many hangs (a wedged server would otherwise cost -timeout per order)")
	flag.Parse()
	if *directory == "" || *caFile == "" || *httpPort == 0 {
		fmt.Fprintln(os.Stderr, "usage: pki-acme-bench -dir URL -cacert PEM -http-port P [-c N] [-n N] [-warm N] [-identifier ip|dns]")
		os.Exit(2)
	}

	rootPEM, err := os.ReadFile(*caFile)
	check(err)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(rootPEM) {
		check(fmt.Errorf("no certificate in %s", *caFile))
	}
	transport := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: *workers,
		IdleConnTimeout:     5 * time.Minute,
		DisableCompression:  true,
	}

	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *httpPort))
	check(err)
	go func() { _ = http.Serve(listener, http.HandlerFunc(answerHTTP01)) }()

	ctx := context.Background()
	clients := make([]*acme.Client, *workers)
	accounts := make([]string, *workers)
	for i := range clients {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		check(err)
		clients[i] = &acme.Client{Key: key, DirectoryURL: *directory, UserAgent: "pki-acme-bench",
			HTTPClient: &http.Client{Transport: &countingTransport{inner: transport}, Timeout: *timeout}}
		account, err := clients[i].Register(ctx, &acme.Account{}, acme.AcceptTOS)
		check(err)
		accounts[i] = account.URI
	}

	var next int64 = -1
	total := *warm + *count
	latencies := make([]time.Duration, 0, *count)
	var latencyLock sync.Mutex
	var errs, hangs int64
	var firstError atomic.Value
	var started time.Time
	var startOnce sync.Once
	startTimed := make(chan struct{})
	var warmDone sync.WaitGroup
	warmDone.Add(*warm)
	if *warm == 0 {
		startOnce.Do(func() { started = time.Now(); close(startTimed) })
	}
	go func() {
		warmDone.Wait()
		startOnce.Do(func() { started = time.Now(); close(startTimed) })
	}()
	cpu0 := cpuSeconds()
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1)
				if i >= int64(total) || atomic.LoadInt64(&hangs) >= *maxHangs {
					if i < int64(*warm) {
						warmDone.Done()
					}
					return
				}
				if i == int64(*warm) {
					<-startTimed // timed orders start when every untimed one is done
				}
				name := "127.0.0.1"
				if *identifier == "dns" {
					name = fmt.Sprintf("w%d-%d.%s", w, i, *domain)
				}
				orderCtx, cancel := context.WithTimeout(ctx, *timeout)
				begin := time.Now()
				err := order(orderCtx, clients[w], accounts[w], *identifier, name, *poll)
				took := time.Since(begin)
				cancel()
				if err != nil {
					if errors.Is(err, context.DeadlineExceeded) || took >= *timeout {
						atomic.AddInt64(&hangs, 1)
					} else {
						atomic.AddInt64(&errs, 1)
					}
					if i >= int64(*warm) {
						atomic.AddInt64(&failedTimed, 1)
					}
					firstError.CompareAndSwap(nil, fmt.Sprintf("%s: %v", name, err))
				}
				if i < int64(*warm) {
					warmDone.Done()
				} else {
					latencyLock.Lock()
					latencies = append(latencies, took)
					latencyLock.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	<-startTimed
	elapsed := time.Since(started)
	cpu := cpuSeconds() - cpu0

	// Orders never started (after -max-hangs) have no latency; failed ones keep theirs.
	timedStarted := len(latencies)
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		i := int(p*float64(len(latencies))+0.999999) - 1
		if i < 0 {
			i = 0
		}
		return ms(latencies[i])
	}
	completed := timedStarted - int(atomic.LoadInt64(&failedTimed))
	r := result{Orders: *count, Completed: completed, Aborted: timedStarted < *count, Errors: errs, Hangs: hangs, ReusedAuthz: reusedAuthz,
		FinalizeProcessing: finalizeProcessing, DownloadRetries: downloadRetries,
		Seconds: elapsed.Seconds(), OrdersPerSecond: float64(completed) / elapsed.Seconds(),
		P50Ms: pct(0.50), P99Ms: pct(0.99), CPUSeconds: cpu, Requests: atomic.LoadInt64(&requests)}
	if len(latencies) > 0 {
		r.MaxMs = ms(latencies[len(latencies)-1])
	}
	if v, ok := firstError.Load().(string); ok {
		r.FirstError = v
	}
	out, err := json.Marshal(r)
	check(err)
	fmt.Println(string(out))
}

// order runs one full order for one identifier and checks the certificate it gets.
func order(ctx context.Context, client *acme.Client, accountURL, kind, name string, poll time.Duration) error {
	o, err := client.AuthorizeOrder(ctx, []acme.AuthzID{{Type: kind, Value: name}})
	if err != nil {
		return fmt.Errorf("new-order: %w", err)
	}
	for _, url := range o.AuthzURLs {
		authz, err := client.GetAuthorization(ctx, url)
		if err != nil {
			return fmt.Errorf("authorization: %w", err)
		}
		if authz.Status == acme.StatusValid {
			atomic.AddInt64(&reusedAuthz, 1)
			continue
		}
		var challenge *acme.Challenge
		for _, c := range authz.Challenges {
			if c.Type == "http-01" {
				challenge = c
			}
		}
		if challenge == nil {
			return fmt.Errorf("no http-01 challenge in %s", url)
		}
		keyAuth, err := client.HTTP01ChallengeResponse(challenge.Token)
		if err != nil {
			return err
		}
		challenges.Store(challenge.Token, keyAuth)
		_, err = client.Accept(ctx, challenge)
		if err == nil {
			err = waitFor(ctx, poll, func() (bool, error) {
				a, err := client.GetAuthorization(ctx, url)
				if err != nil {
					return false, err
				}
				switch a.Status {
				case acme.StatusValid:
					return true, nil
				case acme.StatusInvalid, acme.StatusDeactivated, acme.StatusExpired, acme.StatusRevoked:
					return false, fmt.Errorf("authorization %s: %s", a.Status, describe(a))
				}
				return false, nil
			})
		}
		challenges.Delete(challenge.Token)
		if err != nil {
			return fmt.Errorf("http-01: %w", err)
		}
	}
	err = waitFor(ctx, poll, func() (bool, error) {
		current, err := client.GetOrder(ctx, o.URI)
		if err != nil {
			return false, err
		}
		if current.Status == acme.StatusInvalid {
			return false, fmt.Errorf("order became invalid")
		}
		return current.Status == acme.StatusReady || current.Status == acme.StatusValid, nil
	})
	if err != nil {
		return fmt.Errorf("order ready: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	template := &x509.CertificateRequest{Subject: pkix.Name{CommonName: name}}
	if kind == "ip" {
		template.IPAddresses = []net.IP{net.ParseIP(name)}
	} else {
		template.DNSNames = []string{name}
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, template, key)
	if err != nil {
		return err
	}
	certURL, err := finalize(ctx, client, accountURL, o, csr, poll)
	if err != nil {
		return fmt.Errorf("finalize: %w", err)
	}
	chain, err := download(ctx, client, o.URI, certURL, poll)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if len(chain) < 2 {
		return fmt.Errorf("certificate chain has %d certificate(s), want leaf and intermediate", len(chain))
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	if err := leaf.VerifyHostname(name); err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	if !leaf.PublicKey.(*ecdsa.PublicKey).Equal(&key.PublicKey) {
		return fmt.Errorf("certificate is not for the CSR's key")
	}
	return nil
}

func describe(a *acme.Authorization) string {
	var parts []string
	for _, c := range a.Challenges {
		if c.Error != nil {
			parts = append(parts, c.Type+": "+c.Error.Error())
		}
	}
	return strings.Join(parts, "; ")
}

// waitFor calls done every interval until it reports true, fails, or the context ends.
func waitFor(ctx context.Context, interval time.Duration, done func() (bool, error)) error {
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// answerHTTP01 serves GET /.well-known/acme-challenge/TOKEN for every worker's pending challenges.
func answerHTTP01(w http.ResponseWriter, r *http.Request) {
	const prefix = "/.well-known/acme-challenge/"
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, prefix) {
		if keyAuth, ok := challenges.Load(strings.TrimPrefix(r.URL.Path, prefix)); ok {
			atomic.AddInt64(&served, 1)
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, keyAuth.(string))
			return
		}
	}
	http.NotFound(w, r)
}

// download fetches the certificate chain. Pebble 2.4 can publish a valid order whose certificate
// URL has an empty ID (".../certZ/") for an instant after issuance; such a URL, or a failed fetch,
// is retried (at most 3 times, each bounded to 5 s) from a fresh read of the order, and counted in
// "downloadRetries".
func download(ctx context.Context, client *acme.Client, orderURL, certURL string, poll time.Duration) ([][]byte, error) {
	for attempt := 0; ; attempt++ {
		var chain [][]byte
		err := fmt.Errorf("order %s has no usable certificate URL (%q)", orderURL, certURL)
		if certURL != "" && !strings.HasSuffix(certURL, "/") {
			attemptCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			chain, err = client.FetchCert(attemptCtx, certURL, true)
			cancel()
			if err == nil {
				return chain, nil
			}
		}
		if attempt == 3 || ctx.Err() != nil {
			return nil, err
		}
		atomic.AddInt64(&downloadRetries, 1)
		time.Sleep(poll)
		current, getErr := client.GetOrder(ctx, orderURL)
		if getErr != nil {
			return nil, getErr
		}
		certURL = current.CertURL
	}
}

// countingTransport counts the HTTP requests of every worker.
type countingTransport struct{ inner http.RoundTripper }

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	atomic.AddInt64(&requests, 1)
	return t.inner.RoundTrip(r)
}

// finalize sends the CSR to the order's finalize URL (one retry on badNonce), polls the order
// until it is valid and returns its certificate URL.
func finalize(ctx context.Context, client *acme.Client, accountURL string, o *acme.Order, csr []byte, poll time.Duration) (string, error) {
	payload, err := json.Marshal(map[string]string{"csr": base64.RawURLEncoding.EncodeToString(csr)})
	if err != nil {
		return "", err
	}
	var answer struct {
		Status      string `json:"status"`
		Certificate string `json:"certificate"`
	}
	for attempt := 0; ; attempt++ {
		res, err := signedPost(ctx, client, accountURL, o.FinalizeURL, payload)
		if err != nil {
			return "", err
		}
		body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		res.Body.Close()
		if err != nil {
			return "", err
		}
		if res.StatusCode == http.StatusBadRequest && bytes.Contains(body, []byte("badNonce")) && attempt == 0 {
			continue
		}
		if res.StatusCode != http.StatusOK {
			return "", fmt.Errorf("%s: %s", res.Status, body)
		}
		if err := json.Unmarshal(body, &answer); err != nil {
			return "", err
		}
		break
	}
	if answer.Status == acme.StatusValid {
		return answer.Certificate, nil
	}
	atomic.AddInt64(&finalizeProcessing, 1)
	var certURL string
	err = waitFor(ctx, poll, func() (bool, error) {
		current, err := client.GetOrder(ctx, o.URI)
		if err != nil {
			return false, err
		}
		switch current.Status {
		case acme.StatusValid:
			certURL = current.CertURL
			return true, nil
		case acme.StatusInvalid:
			return false, fmt.Errorf("order became invalid after finalize")
		}
		return false, nil
	})
	return certURL, err
}

// signedPost POSTs payload as a flattened JWS (ES256, kid = the account URL, a fresh nonce from
// newNonce), as RFC 8555 §6.2 asks.
func signedPost(ctx context.Context, client *acme.Client, accountURL, url string, payload []byte) (*http.Response, error) {
	dir, err := client.Discover(ctx)
	if err != nil {
		return nil, err
	}
	head, err := http.NewRequestWithContext(ctx, http.MethodHead, dir.NonceURL, nil)
	if err != nil {
		return nil, err
	}
	nonceRes, err := client.HTTPClient.Do(head)
	if err != nil {
		return nil, err
	}
	nonceRes.Body.Close()
	nonce := nonceRes.Header.Get("Replay-Nonce")
	if nonce == "" {
		return nil, fmt.Errorf("no Replay-Nonce from %s", dir.NonceURL)
	}
	protected, err := json.Marshal(map[string]string{"alg": "ES256", "kid": accountURL, "nonce": nonce, "url": url})
	if err != nil {
		return nil, err
	}
	b64 := base64.RawURLEncoding
	signingInput := b64.EncodeToString(protected) + "." + b64.EncodeToString(payload)
	digest := sha256.Sum256([]byte(signingInput))
	r, s, err := ecdsa.Sign(rand.Reader, client.Key.(*ecdsa.PrivateKey), digest[:])
	if err != nil {
		return nil, err
	}
	signature := make([]byte, 64)
	r.FillBytes(signature[:32])
	s.FillBytes(signature[32:])
	body, err := json.Marshal(map[string]string{"protected": b64.EncodeToString(protected), "payload": b64.EncodeToString(payload), "signature": b64.EncodeToString(signature)})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/jose+json")
	req.Header.Set("User-Agent", "pki-acme-bench")
	return client.HTTPClient.Do(req)
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
		fmt.Fprintln(os.Stderr, "pki-acme-bench:", err)
		os.Exit(2)
	}
}
