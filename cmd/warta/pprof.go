//go:build pprof

// Built only with -tags pprof (bench/run's PPROF=1): serves the runtime
// profiles on WARTA_PPROF_ADDR (default 127.0.0.1:6060) for measuring.
package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	addr := os.Getenv("WARTA_PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go func() { _ = http.ListenAndServe(addr, nil) }()
}
