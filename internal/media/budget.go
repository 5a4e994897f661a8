package media

import (
	"context"
	"errors"
	"image"
	"image/color"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"
)

// Why an upload could not be processed now or at all, beyond the limits
// of its file.
var (
	// ErrTooHeavy: the decoded pixels would need more memory than one
	// image may take (a 16-bit PNG of 7000×7000 needs 392 MB).
	ErrTooHeavy = errors.New("media: image needs too much memory to process")
	// ErrBusy: other uploads hold the processing budget and it did not
	// come free in time; the same file may be sent again shortly.
	ErrBusy = errors.New("media: image processing is busy")
)

// The processing budget. Pixels are what cost memory: the file may be a
// few hundred kilobytes and still unpack into hundreds of megabytes. So
// each image's decoded size is known from its header before a pixel is
// allocated, one image may hold at most MaxDecodedBytes, and all images
// being processed at once hold at most budgetBytes, no more of them at a
// time than there are processors. An upload waits at most BudgetWait for
// its share, then is refused as busy rather than left to the write
// timeout.
const (
	MaxDecodedBytes = 256 << 20
	budgetBytes     = 512 << 20
	BudgetWait      = 15 * time.Second
)

var (
	budgetMemory = semaphore.NewWeighted(budgetBytes)
	budgetTurns  = semaphore.NewWeighted(int64(max(1, runtime.GOMAXPROCS(0))))
)

// decodedBytes is what decoding an image of cfg holds in memory, as the
// standard decoders lay it out; extra is what the processing adds (an
// upright copy of a rotated photo).
func decodedBytes(cfg image.Config, extra int) int64 {
	per := 4
	switch cfg.ColorModel {
	case color.RGBA64Model, color.NRGBA64Model:
		per = 8
	case color.Gray16Model:
		per = 2
	case color.GrayModel:
		per = 1
	case color.YCbCrModel:
		per = 3 // 4:4:4 at worst; 4:2:0 needs half
	case color.CMYKModel:
		per = 4
	default:
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			per = 1
		}
	}
	return int64(cfg.Width) * int64(cfg.Height) * int64(per+extra)
}

// withBudget runs work holding n bytes of the processing budget.
func withBudget(ctx context.Context, n int64, work func() (*Processed, error)) (*Processed, error) {
	if n > MaxDecodedBytes {
		return nil, ErrTooHeavy
	}
	ctx, cancel := context.WithTimeout(ctx, BudgetWait)
	defer cancel()
	if err := budgetTurns.Acquire(ctx, 1); err != nil {
		return nil, ErrBusy
	}
	defer budgetTurns.Release(1)
	if err := budgetMemory.Acquire(ctx, n); err != nil {
		return nil, ErrBusy
	}
	defer budgetMemory.Release(n)
	return work()
}
