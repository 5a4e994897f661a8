package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"warta/internal/app"
	"warta/internal/config"
)

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	finish := config.Register(fs, true)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	log := newLogger(cfg, stderr)
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		// Keep the heap near what the page cache may hold plus working
		// room (measured at 100,000 articles: some 20 MB live besides the
		// cache, and the garbage of requests in flight), so memory stays
		// flat on a small server; a soft limit, so a big upload or import
		// only makes the collector work harder. GOMEMLIMIT wins.
		debug.SetMemoryLimit(int64(cfg.PageCacheMB+56) << 20)
		if _, set := os.LookupEnv("GOGC"); !set {
			// The limit bounds memory; below it, collect less often: a
			// render allocates some 65 KB, and collecting at 4× the live
			// heap rather than 2× serves ~15% more uncached pages.
			debug.SetGCPercent(400)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if err := app.CheckCertificate(cfg); err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	first, err := a.FirstStart(ctx, !cfg.NoDemo)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	url := "http://" + ln.Addr().String()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	https, err := a.NewTLS(port)
	if err != nil {
		ln.Close()
		return err
	}
	var plain *http.Server // with https: redirects and ACME challenges
	if https != nil {
		ln = tls.NewListener(ln, https.Config)
		url = "https://" + ln.Addr().String()
		if cfg.HTTPAddr != "" {
			pln, err := net.Listen("tcp", cfg.HTTPAddr)
			if err != nil {
				ln.Close()
				return fmt.Errorf("--http-addr: %w", err)
			}
			plain = &http.Server{Handler: https.HTTP, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second}
			go plain.Serve(pln) //nolint:errcheck // ends with Shutdown
			log.Info("plain http: redirects to https", "addr", pln.Addr().String())
		}
	}
	if first {
		fmt.Fprintf(stdout, "New site created in %s.\n", where(cfg))
	}
	if admins, _ := countAdmins(ctx, a); admins == 0 {
		self := selfCommand()
		fmt.Fprintf(stdout, "No admin account yet. Create the first one (type the password, then Enter):\n"+
			"  %s user add --email you@example.com --name \"Your Name\" --role admin%s\n"+
			"then sign in at %s/admin/login, or get an API token with: %s token create --email you@example.com%s\n",
			self, dataFlags(cfg), url, self, dataFlags(cfg))
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)

	var wg sync.WaitGroup
	bg, stopBG := context.WithCancel(context.Background())
	wg.Add(1)
	go func() { defer wg.Done(); a.RunBackground(bg) }()

	// Page cache hits are answered by the front server itself; everything
	// else by srv.
	fr := a.Front(srv)
	errc := make(chan error, 2)
	go func() { errc <- fr.Serve(ln) }()
	if https != nil && https.Prewarm != nil {
		go https.Prewarm()
	}
	var metrics *http.Server
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			fr.Shutdown(context.Background())
			stopBG()
			wg.Wait()
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		metrics = &http.Server{Handler: a.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go func() { errc <- metrics.Serve(mln) }()
		log.Info("metrics", "addr", mln.Addr().String())
	}
	select {
	case err := <-errc:
		stopBG()
		wg.Wait()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	err = fr.Shutdown(sctx)
	if plain != nil {
		plain.Shutdown(sctx)
	}
	if metrics != nil {
		metrics.Shutdown(sctx)
	}
	stopBG()
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func where(cfg *config.Config) string {
	if cfg.DatabaseURL != "" {
		return "PostgreSQL"
	}
	return cfg.DataDir
}

// dataFlags repeats the serve command's storage flags for the hint.
func dataFlags(cfg *config.Config) string {
	if cfg.DatabaseURL != "" {
		return " --db '" + "$WARTA_DATABASE_URL" + "'"
	}
	if cfg.DataDir != "./data" {
		return " --data " + cfg.DataDir
	}
	return ""
}

func countAdmins(ctx context.Context, a *app.App) (int, error) {
	users, err := a.Store.ListUsers(ctx)
	n := 0
	for _, u := range users {
		if u.Role == "admin" && u.Active {
			n++
		}
	}
	return n, err
}

// selfCommand is how the operator started Warta: "go run ./cmd/warta" when
// it runs from a go run build, else "warta".
func selfCommand() string {
	if strings.Contains(os.Args[0], "go-build") {
		return "go run ./cmd/warta"
	}
	return "warta"
}
