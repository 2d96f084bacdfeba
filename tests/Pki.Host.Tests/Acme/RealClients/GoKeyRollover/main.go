// Command go-key-rollover drives an ACME account key rollover (RFC 8555 §7.3.5) with
// golang.org/x/crypto/acme (Debian's golang-golang-x-crypto-dev), because none of the Debian clients
// the real-client tests use has one (lego 4.9, certbot 2.1, acme-tiny, dehydrated 0.7). Built by
// KeyRolloverTests in GOPATH mode, offline.
//
// It registers an account with key A, rolls it over to key B, then checks what a client relies on:
// key B finds the same account (new-account with onlyReturnExisting), and key A no longer finds any
// (accountDoesNotExist). Prints the account URL; exits 1 with a message on any failure.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"golang.org/x/crypto/acme"
)

func main() {
	directory := flag.String("dir", "", "ACME directory URL")
	caFile := flag.String("cacert", "", "PEM the ACME endpoint's TLS certificate chains to")
	flag.Parse()
	rootPEM, err := os.ReadFile(*caFile)
	check("read -cacert", err)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(rootPEM) {
		check("read -cacert", fmt.Errorf("no certificate in %s", *caFile))
	}
	httpClient := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	newClient := func(key *ecdsa.PrivateKey) *acme.Client {
		return &acme.Client{Key: key, DirectoryURL: *directory, HTTPClient: httpClient, UserAgent: "go-key-rollover"}
	}

	oldKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check("key", err)
	newKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check("key", err)

	client := newClient(oldKey)
	account, err := client.Register(ctx, &acme.Account{Contact: []string{"mailto:rollover@example.test"}}, acme.AcceptTOS)
	check("new-account", err)
	check("key-change", client.AccountKeyRollover(ctx, newKey))

	found, err := newClient(newKey).GetReg(ctx, "")
	check("new-account onlyReturnExisting with the new key", err)
	if found.URI != account.URI {
		check("new key", fmt.Errorf("finds account %s, want %s", found.URI, account.URI))
	}
	if _, err := newClient(oldKey).GetReg(ctx, ""); !errors.Is(err, acme.ErrNoAccount) {
		check("old key", fmt.Errorf("should find no account after the rollover, got %v", err))
	}
	fmt.Println(account.URI)
}

func check(step string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-key-rollover: %s: %v\n", step, err)
		os.Exit(1)
	}
}
