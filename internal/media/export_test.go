package media

import "context"

// Unexported helpers that the black-box tests check directly.
var (
	Orient          = orient
	ExifOrientation = exifOrientation
	Resize          = resize
)

// HoldBudget takes n bytes of the processing budget, as n bytes of other
// uploads being processed would, until release is called.
func HoldBudget(n int64) (release func()) {
	if err := budgetMemory.Acquire(context.Background(), n); err != nil {
		panic(err)
	}
	return func() { budgetMemory.Release(n) }
}

const BudgetBytes = budgetBytes
