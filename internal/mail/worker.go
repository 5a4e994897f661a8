package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

// Sender delivers one mail.
type Sender interface {
	Send(ctx context.Context, m *model.Mail) error
}

// Queue is what the worker needs from storage.
type Queue interface {
	ClaimMail(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]model.Mail, error)
	FinishMail(ctx context.Context, id int64, owner string, o store.MailOutcome) error
	NextMailDue(ctx context.Context) (time.Time, error)
}

// How the worker retries and leases.
const (
	// MaxAttempts: a mail that failed this many times is given up
	// (status failed) until an admin sends it again.
	MaxAttempts = 8
	// FirstRetry is the wait after the first failure; each further
	// failure doubles it, up to MaxRetryWait.
	FirstRetry   = time.Minute
	MaxRetryWait = 6 * time.Hour
	// Lease is how long a claimed mail belongs to its worker: far longer
	// than a send may take (30 s timeout), so no other instance sends it
	// meanwhile; a worker that died holding it frees it when it ends.
	Lease = 10 * time.Minute
	// poll is how often an idle worker looks for mail queued elsewhere.
	poll  = 30 * time.Second
	batch = 10
)

// Backoff is the wait before the next try of a mail that failed attempts times.
func Backoff(attempts int) time.Duration {
	d := FirstRetry
	for i := 1; i < attempts && d < MaxRetryWait; i++ {
		d *= 2
	}
	return min(d, MaxRetryWait)
}

// Worker sends queued mail. Run it on every instance: leases keep two of
// them from sending one mail.
type Worker struct {
	q     Queue
	send  Sender
	now   func() time.Time
	log   *slog.Logger
	owner string
	wake  chan struct{}
}

// NewWorker builds a worker on the program's clock.
func NewWorker(q Queue, send Sender, now func() time.Time, log *slog.Logger) *Worker {
	var b [8]byte
	rand.Read(b[:])
	return &Worker{q: q, send: send, now: now, log: log, owner: hex.EncodeToString(b[:]), wake: make(chan struct{}, 1)}
}

// Wake tells the worker that mail was queued, so it sends at once rather
// than at its next look. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// RunOnce sends every mail due now and returns how many went out and how
// many failed.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	for {
		now := w.now()
		mails, err := w.q.ClaimMail(ctx, w.owner, now, now.Add(Lease), batch)
		if err != nil || len(mails) == 0 {
			return sent, failed, err
		}
		for i := range mails {
			if w.deliver(ctx, &mails[i]) {
				sent++
			} else {
				failed++
			}
		}
	}
}

// deliver sends one claimed mail and records the outcome. Only the mail's
// id and kind are logged, never its address or its content (a reset link).
func (w *Worker) deliver(ctx context.Context, m *model.Mail) bool {
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	err := w.send.Send(sctx, m)
	cancel()
	o := store.MailOutcome{Sent: err == nil, At: w.now()}
	if err != nil {
		o.Error = err.Error()
		var perm *PermanentError
		if !errors.As(err, &perm) && m.Attempts < MaxAttempts {
			o.Retry = o.At.Add(Backoff(m.Attempts))
		}
		w.log.Warn("mail not sent", "mail_id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "retry", !o.Retry.IsZero())
	} else {
		w.log.Info("mail sent", "mail_id", m.ID, "kind", m.Kind)
	}
	if ferr := w.q.FinishMail(ctx, m.ID, w.owner, o); ferr != nil {
		w.log.Error("recording a mail's outcome failed", "mail_id", m.ID, "err", ferr)
	}
	return err == nil
}

// Run sends mail until ctx ends: what is due, then it waits for the next
// mail due, a Wake, or its next look.
func (w *Worker) Run(ctx context.Context) {
	for {
		if _, _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("mail queue", "err", err)
		}
		wait := poll
		if next, err := w.q.NextMailDue(ctx); err == nil && !next.IsZero() {
			wait = min(wait, max(next.Sub(w.now()), 0)+50*time.Millisecond)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
			t.Stop()
		case <-t.C:
		}
	}
}
