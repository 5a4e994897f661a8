package app

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"warta/internal/config"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// TLS is serve's https: the configuration for --addr and the handler for
// the plain-http address beside it.
type TLS struct {
	Config *tls.Config
	// HTTP answers plain http: ACME http-01 challenges (with
	// --tls-domain), and a redirect to https for everything else.
	HTTP http.Handler
	// Prewarm gets the certificates of --tls-domain before the first
	// reader asks (nil without ACME); run it once the listeners are up.
	Prewarm func()
}

// NewTLS builds serve's https from the configuration (nil when it is
// off). httpsPort is the port --addr listens on, for the redirects.
func (a *App) NewTLS(httpsPort string) (*TLS, error) {
	cfg := a.Cfg
	if !cfg.TLS() {
		return nil, nil
	}
	t := &TLS{Config: &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The front server speaks HTTP/1.1 only (cache hits are written
		// straight to the connection), so no h2.
		NextProtos: []string{"http/1.1"},
	}}
	redirect := redirectToHTTPS(httpsPort)
	if cfg.TLSCert != "" {
		files := &certFiles{cert: cfg.TLSCert, key: cfg.TLSKey}
		if _, err := files.get(nil); err != nil {
			return nil, err
		}
		t.Config.GetCertificate = files.get
		t.HTTP = redirect
		return t, nil
	}
	client := &acme.Client{DirectoryURL: cfg.ACMEDirectory, UserAgent: "warta"}
	if cfg.ACMECA != "" {
		pem, err := os.ReadFile(cfg.ACMECA)
		if err != nil {
			return nil, fmt.Errorf("--acme-ca: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--acme-ca: %s holds no PEM certificate", cfg.ACMECA)
		}
		client.HTTPClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	}
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(filepath.Join(cfg.DataDir, "acme")),
		HostPolicy: autocert.HostWhitelist(cfg.TLSDomains...),
		Email:      cfg.ACMEEmail,
		Client:     client,
	}
	t.Config.GetCertificate = m.GetCertificate
	// Lets the ACME server check the domain on --addr itself
	// (tls-alpn-01), before http-01 on --http-addr.
	t.Config.NextProtos = append(t.Config.NextProtos, acme.ALPNProto)
	challenges := m.HTTPHandler(redirect)
	t.HTTP = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The host policy compares names; an ACME server checking on a
		// port other than 80 (as a test one may) names it in Host.
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			r.Host = h
		}
		challenges.ServeHTTP(w, r)
	})
	t.Prewarm = func() {
		for _, d := range cfg.TLSDomains {
			// As a current browser would ask, so that the ECDSA
			// certificate readers get is the one obtained.
			_, err := m.GetCertificate(&tls.ClientHelloInfo{ServerName: d,
				CipherSuites:     []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
				SignatureSchemes: []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
				SupportedCurves:  []tls.CurveID{tls.X25519, tls.CurveP256}})
			if err != nil {
				a.Log.Error("getting a certificate failed (tried again at the first https request)", "domain", d, "err", err)
			} else {
				a.Log.Info("certificate ready", "domain", d)
			}
		}
	}
	return t, nil
}

// redirectToHTTPS sends plain-http readers to the same address over https:
// 301 for GET and HEAD, 308 (method kept) for the rest.
func redirectToHTTPS(httpsPort string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if host == "" {
			http.Error(w, "Host required", http.StatusBadRequest)
			return
		}
		if httpsPort != "443" {
			host = net.JoinHostPort(host, httpsPort)
		} else if net.ParseIP(host) != nil && net.ParseIP(host).To4() == nil {
			host = "[" + host + "]"
		}
		code := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			code = http.StatusPermanentRedirect
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), code)
	})
}

// CheckCertificate loads the --tls-cert/--tls-key pair, so that serve can
// refuse a wrong one before it opens anything.
func CheckCertificate(cfg *config.Config) error {
	if cfg.TLSCert == "" {
		return nil
	}
	_, err := (&certFiles{cert: cfg.TLSCert, key: cfg.TLSKey}).get(nil)
	return err
}

// certFiles serves the operator's own certificate, read again when either
// file changes (a renewal by certbot or the like needs no restart).
type certFiles struct {
	cert, key string

	mu    sync.Mutex
	stamp [2]os.FileInfo
	c     *tls.Certificate
}

func (f *certFiles) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	ci, err1 := os.Stat(f.cert)
	ki, err2 := os.Stat(f.key)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := cmp.Or(err1, err2); err != nil {
		if f.c != nil {
			return f.c, nil // mid-renewal: keep serving the one we have
		}
		return nil, fmt.Errorf("--tls-cert: %w", err)
	}
	if f.c != nil && same(f.stamp[0], ci) && same(f.stamp[1], ki) {
		return f.c, nil
	}
	c, err := tls.LoadX509KeyPair(f.cert, f.key)
	if err != nil {
		if f.c != nil {
			return f.c, nil // a half-written pair: the next handshake tries again
		}
		return nil, fmt.Errorf("--tls-cert: %w", err)
	}
	f.c, f.stamp = &c, [2]os.FileInfo{ci, ki}
	return f.c, nil
}

func same(a, b os.FileInfo) bool {
	return a != nil && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}
