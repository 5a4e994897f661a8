package front

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"
)

// selfSigned is a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestTLS: on a tls.NewListener the three roads know the request came over
// TLS: the fast path (Request.TLS), a render inline and a connection handed
// to net/http (r.TLS, with the handshake's state); several requests share
// one connection, and a client offering only h2 gets no connection.
func TestTLS(t *testing.T) {
	t.Parallel()
	cert, pool := selfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
	var fastTLS []bool
	srv := &Server{
		HTTP: &http.Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				state := "none"
				if r.TLS != nil && r.TLS.HandshakeComplete {
					state = tls.VersionName(r.TLS.Version)
				}
				io.WriteString(w, r.URL.Path+" tls="+state)
			}),
			ReadHeaderTimeout: 5 * time.Second,
		},
		Fast: func(r *Request) (Response, bool) {
			fastTLS = append(fastTLS, r.TLS)
			if r.Path != "/fast" {
				return Response{}, false
			}
			return Response{Status: 200, Head: []byte("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"), Body: []byte("fast")}, true
		},
		Inline:    func(r *Request) bool { return r.Path == "/inline" },
		RequestID: func(dst []byte) []byte { return append(dst, "id"...) },
		Log:       slog.New(slog.DiscardHandler),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(tlsLn) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, MaxConnsPerHost: 1}}
	base := "https://" + ln.Addr().String()
	for _, want := range []struct{ path, body string }{
		{"/fast", "fast"},
		{"/inline", "/inline tls=TLS 1.3"},
		{"/fast", "fast"},
		{"/other", "/other tls=TLS 1.3"}, // handed to net/http for good
		{"/fast", "/fast tls=TLS 1.3"},   // net/http's connection now
	} {
		resp, err := c.Get(base + want.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != want.body || resp.ProtoMajor != 1 {
			t.Errorf("GET %s: %d %s %q, want %q", want.path, resp.StatusCode, resp.Proto, b, want.body)
		}
	}
	if len(fastTLS) != 4 {
		t.Errorf("the fast path saw %d requests, want 4 (three before the hand-over, one inline)", len(fastTLS))
	}
	for i, v := range fastTLS {
		if !v {
			t.Errorf("fast path request %d: Request.TLS false", i)
		}
	}
	if fast, handed := srv.Stats(); fast != 2 || handed != 1 {
		t.Errorf("Stats: %d fast, %d handed off; want 2 and 1", fast, handed)
	}
	// A client that speaks only h2 finds no protocol in common.
	if _, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: pool, NextProtos: []string{"h2"}}); err == nil {
		t.Error("an h2-only client was accepted")
	}
}
