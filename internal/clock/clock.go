// Package clock is the one place Warta reads the wall clock. The commands
// build the program with Wall; everything else is handed a clock (a
// func() time.Time) when it is built, so tests fix the time and pass on
// any date. Measuring a duration (deadlines, latency) may use the time
// package directly: it never decides what a reader or an editor sees.
package clock

import "time"

// Wall is the real time.
func Wall() time.Time { return time.Now() }
