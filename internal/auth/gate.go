package auth

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy: every password check slot is taken and the queue is full, or
// the wait for a slot ran out. The caller should answer "try again soon"
// (503 with Retry-After) rather than queue without bound.
var ErrBusy = errors.New("auth: too many password checks at once")

// Gate bounds how many password hashes run at once. Each argon2id hash
// takes argonMemory (64 MiB) and two threads for most of a second, so an
// unbounded number of them — one per login attempt, whoever sends it —
// would let strangers exhaust the server's memory and CPU. A few callers
// may wait briefly for a slot; the rest are refused at once.
type Gate struct {
	slots   chan struct{}
	waiting atomic.Int32
	queue   int32
	wait    time.Duration
}

// NewGate allows n hashes at once, with up to queue callers waiting at
// most wait each for a slot.
func NewGate(n, queue int, wait time.Duration) *Gate {
	if n < 1 {
		n = 1
	}
	return &Gate{slots: make(chan struct{}, n), queue: int32(queue), wait: wait}
}

// DefaultGate sizes a gate for this machine: half its cores (at least
// two, at most eight) hash at once, so peak memory for hashing stays
// under 8 × 64 MiB and the other half of the CPU keeps serving pages;
// four callers per slot may wait up to two seconds.
func DefaultGate() *Gate {
	n := min(max(2, runtime.NumCPU()/2), 8)
	return NewGate(n, 4*n, 2*time.Second)
}

// Acquire takes a slot, waiting briefly when all are busy. It returns the
// function that gives the slot back, ErrBusy, or the context's error when
// the caller gave up first.
func (g *Gate) Acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	if g.waiting.Add(1) > g.queue {
		g.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// InUse reports how many slots are taken (for tests and metrics).
func (g *Gate) InUse() int { return len(g.slots) }

// Waiting reports how many callers wait for a slot.
func (g *Gate) Waiting() int { return int(g.waiting.Load()) }

// Size is the number of slots.
func (g *Gate) Size() int { return cap(g.slots) }

// Check verifies pw against hash inside a slot of the gate.
func (g *Gate) Check(ctx context.Context, hash, pw string) error {
	release, err := g.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	return CheckPassword(hash, pw)
}

// Hash hashes pw inside a slot of the gate.
func (g *Gate) Hash(ctx context.Context, pw string) (string, error) {
	release, err := g.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(pw)
}
