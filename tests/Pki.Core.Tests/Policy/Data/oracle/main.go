package main

import (
	"crypto/x509"
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"

	"gopolicy/constraints"
	"gopolicy/policy"
)

type names struct {
	CN        []string `json:"cn"`
	DNS       []string `json:"dns"`
	IP        []string `json:"ip"`
	Email     []string `json:"email"`
	URI       []string `json:"uri"`
	Principal []string `json:"principal"`
}

func (n *names) has() bool {
	return n != nil && (len(n.CN)+len(n.DNS)+len(n.IP)+len(n.Email)+len(n.URI)+len(n.Principal) > 0)
}

type pol struct {
	Allow *names `json:"allow"`
	Deny  *names `json:"deny"`
	Wild  bool   `json:"allowWildcardNames"`
}

type tc struct {
	Op     string   `json:"op"` // x509, sans, user, host, nc
	Policy pol      `json:"policy"`
	CN     string   `json:"cn"`
	DNS    []string `json:"dns"`
	IP     []string `json:"ip"`
	Email  []string `json:"email"`
	URI    []string `json:"uri"`
	Sans   []string `json:"sans"`
	Pr     []string `json:"principals"`
}

func build(p pol, x509 bool) (*policy.NamePolicyEngine, error) {
	var opts []policy.NamePolicyOption
	if p.Allow.has() {
		if x509 {
			opts = append(opts, policy.WithPermittedCommonNames(p.Allow.CN...))
			opts = append(opts, policy.WithPermittedURIDomains(p.Allow.URI...))
		}
		opts = append(opts, policy.WithPermittedDNSDomains(p.Allow.DNS...), policy.WithPermittedIPsOrCIDRs(p.Allow.IP...), policy.WithPermittedEmailAddresses(p.Allow.Email...))
		if !x509 {
			opts = append(opts, policy.WithPermittedPrincipals(p.Allow.Principal...))
		}
	}
	if p.Deny.has() {
		if x509 {
			opts = append(opts, policy.WithExcludedCommonNames(p.Deny.CN...))
			opts = append(opts, policy.WithExcludedURIDomains(p.Deny.URI...))
		}
		opts = append(opts, policy.WithExcludedDNSDomains(p.Deny.DNS...), policy.WithExcludedIPsOrCIDRs(p.Deny.IP...), policy.WithExcludedEmailAddresses(p.Deny.Email...))
		if !x509 {
			opts = append(opts, policy.WithExcludedPrincipals(p.Deny.Principal...))
		}
	}
	if len(opts) == 0 {
		return nil, nil
	}
	if x509 {
		if p.Wild {
			opts = append(opts, policy.WithAllowLiteralWildcardNames())
		}
		opts = append(opts, policy.WithSubjectCommonNameVerification())
	}
	return policy.New(opts...)
}

func res(err error) string {
	if err == nil {
		return "OK"
	}
	if pe, ok := err.(*policy.NamePolicyError); ok {
		return fmt.Sprintf("ERR %d|%s|%s", pe.Reason, pe.Error(), pe.Detail())
	}
	return "FAIL " + err.Error()
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c tc
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			fmt.Println("BADCASE", err)
			continue
		}
		var ips []net.IP
		for _, s := range c.IP {
			ips = append(ips, net.ParseIP(s))
		}
		var uris []*url.URL
		bad := false
		for _, s := range c.URI {
			u, err := url.Parse(s)
			if err != nil {
				bad = true
				break
			}
			uris = append(uris, u)
		}
		if bad {
			fmt.Println("BADURI")
			continue
		}
		switch c.Op {
		case "x509", "sans":
			e, err := build(c.Policy, true)
			if err != nil {
				fmt.Println("CONFIG " + err.Error())
				continue
			}
			if e == nil {
				fmt.Println("OK")
				continue
			}
			if c.Op == "sans" {
				fmt.Println(res(e.AreSANsAllowed(c.Sans)))
				continue
			}
			if err := e.ValidateNames(c.DNS, ips, c.Email, uris, nil); err != nil {
				fmt.Println(res(err))
				continue
			}
			fmt.Println(res(e.ValidateCommonName(c.CN)))
		case "user", "host":
			e, err := build(c.Policy, false)
			if err != nil {
				fmt.Println("CONFIG " + err.Error())
				continue
			}
			if e == nil {
				fmt.Println("OK")
				continue
			}
			var d, em, pr []string
			var ip []net.IP
			var u []*url.URL
			if c.Op == "host" {
				d, ip, em, u = policy.SplitSANs(c.Pr)
				if len(u) > 0 {
					fmt.Println("FAIL uri principals")
					continue
				}
			} else {
				pr, ip, em, u = policy.SplitSANs(c.Pr)
				if len(ip) > 0 || len(u) > 0 {
					fmt.Println("FAIL ip/uri principals")
					continue
				}
			}
			fmt.Println(res(e.ValidateNames(d, ip, em, nil, pr)))
		case "nc":
			// policy.allow = permitted, deny = excluded, raw RFC 5280 strings
			crt := &x509.Certificate{}
			if c.Policy.Allow != nil {
				crt.PermittedDNSDomains = c.Policy.Allow.DNS
				crt.PermittedEmailAddresses = c.Policy.Allow.Email
				crt.PermittedURIDomains = c.Policy.Allow.URI
				for _, s := range c.Policy.Allow.IP {
					_, n, _ := net.ParseCIDR(s)
					crt.PermittedIPRanges = append(crt.PermittedIPRanges, n)
				}
			}
			if c.Policy.Deny != nil {
				crt.ExcludedDNSDomains = c.Policy.Deny.DNS
				crt.ExcludedEmailAddresses = c.Policy.Deny.Email
				crt.ExcludedURIDomains = c.Policy.Deny.URI
				for _, s := range c.Policy.Deny.IP {
					_, n, _ := net.ParseCIDR(s)
					crt.ExcludedIPRanges = append(crt.ExcludedIPRanges, n)
				}
			}
			e := constraints.New(crt)
			err := e.Validate(c.DNS, ips, c.Email, uris)
			if err == nil {
				fmt.Println("OK")
			} else if ce, ok := err.(constraints.ConstraintError); ok {
				fmt.Println("ERR " + ce.Detail)
			} else {
				fmt.Println("FAIL " + err.Error())
			}
		default:
			fmt.Println("BADOP")
		}
	}
}
