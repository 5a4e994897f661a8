package cli

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// runHealthcheck asks a running Warta whether it is ready; a container
// image without curl uses it as its HEALTHCHECK.
func runHealthcheck(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	target := fs.String("url", "http://127.0.0.1:8080/readyz", "address to ask (http or https)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !strings.HasPrefix(*target, "http://") && !strings.HasPrefix(*target, "https://") {
		return &usageError{msg: fmt.Sprintf("--url: %q must start with http:// or https://", *target)}
	}
	c := &http.Client{
		Timeout: 5 * time.Second,
		// The instance's own certificate may name only its public domain.
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec // this machine's own server
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Get(*target)
	if err != nil {
		return fmt.Errorf("not healthy: %v", errors.Unwrap(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	line := strings.TrimSpace(strings.SplitN(string(body), "\n", 2)[0])
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not healthy: %d %s", resp.StatusCode, line)
	}
	fmt.Fprintln(stdout, line)
	return nil
}
