// Command warta is the Warta news platform in one binary.
package main

import (
	"os"
	_ "time/tzdata" // Asia/Jakarta must load on machines without zone files

	"warta/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
